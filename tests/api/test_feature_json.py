"""The fast items writer (feature_json: store columns, GeoJSON text, orjson) gives the documents
the Parcel path (features.feature_collection, json.dumps) gives: hostile texts, holes,
multipolygons and coordinates with more decimals than are written, on both stores."""

import json
from contextlib import ExitStack

import orjson
import pytest
from flask import request

from tests.conftest import make_app
from tests.hostile import hostile_feature_collection
from tests.store.postgis_fixtures import postgis_schema_url
from webapp.api.features import feature_collection
from webapp.api.links import self_links
from webapp.api.media import GEOJSON
from webapp.api.params import parse_request
from webapp.api.parcels import fetch_items
from webapp.api.views import ITEMS

API = "/api/collections/parcels/items"
LON, LAT = 118.52, 31.72


def _ring(x0: float, y0: float, size: float, vertices: int = 4) -> list[list[float]]:
    """A closed counter-clockwise ring with many-decimal coordinates."""
    import math

    points = [[x0 + size * (1 + math.cos(2 * math.pi * i / vertices)) / 2 + 1.23456789e-10 * i,
               y0 + size * (1 + math.sin(2 * math.pi * i / vertices)) / 2]
              for i in range(vertices)]
    return [*points, points[0]]


def shape_features() -> list[dict]:
    """A polygon with a hole, a multipolygon (one part with a hole) and a 37-vertex parcel."""
    hole = [list(reversed(_ring(LON + 0.0004, LAT + 0.0004, 0.0002, 6)))]
    shapes = {
        "hole": {"type": "Polygon", "coordinates": [_ring(LON, LAT, 0.001, 9), *hole]},
        "multi": {"type": "MultiPolygon", "coordinates": [
            [_ring(LON + 0.002, LAT, 0.0008, 12)],
            [_ring(LON + 0.0031, LAT, 0.001, 9),
             list(reversed(_ring(LON + 0.0035, LAT + 0.0004, 0.0002, 5)))]]},
        "many": {"type": "Polygon", "coordinates": [_ring(LON + 0.005, LAT, 0.0012, 37)]},
    }
    return [{"type": "Feature", "id": key, "geometry": geometry,
             "properties": {"code": f"S-{key}", "land_use": "0901", "status": "available",
                            "name": "马鞍山软件园 地块", "lease_years": 40, "far_min": 1.2,
                            "far_max": 2.5, "price_start_wan": 1234.5}}
            for key, geometry in shapes.items()]


@pytest.fixture(scope="module", params=["geopackage", "postgis"])
def app(request, tmp_path_factory):
    """An app on the hostile district plus the shapes, on each store."""
    folder = tmp_path_factory.mktemp(f"fast-{request.param}")
    district = hostile_feature_collection()
    district["features"] += shape_features()
    source = folder / "district.geojson"
    source.write_text(json.dumps(district, ensure_ascii=False), encoding="utf-8")
    with ExitStack() as stack:
        settings = {}
        if request.param == "postgis":
            settings["STORE_URL"] = stack.enter_context(postgis_schema_url())
        made = make_app(folder / "app", source, **settings)
        stack.callback(made.extensions["landgis.store"].close)
        yield made


def parcel_path_document(app, url: str) -> bytes:
    """The items document as the Parcel path writes it (json.dumps of feature_collection)."""
    with app.test_request_context(url):
        query = parse_request(ITEMS, request.args, {}, request.headers)
        document = feature_collection(fetch_items(query), self_links("json", GEOJSON))
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def canonical(body: bytes) -> str:
    """Decoded and written again with sorted keys: equal when the documents are equal, values
    and their JSON types (1 and 1.0 differ) alike."""
    return json.dumps(json.loads(body), sort_keys=True, ensure_ascii=False)


@pytest.mark.parametrize("query", [
    "limit=100", "limit=7&offset=5", "bbox=118.515,31.715,118.53,31.73&limit=100",
    "land_use=0901&limit=100", "q=长&limit=100", "status=sold&limit=100",
])
def test_feature_json_documents_equal_the_parcel_path(app, query):
    url = f"{API}?{query}"
    response = app.test_client().get(url)
    assert response.status_code == 200 and response.mimetype == GEOJSON
    assert canonical(response.data) == canonical(parcel_path_document(app, url))


def test_feature_json_writes_hostile_text_and_every_shape(app):
    features = app.test_client().get(f"{API}?limit=100").get_json()["features"]
    assert len(features) == len(hostile_feature_collection()["features"]) + 3
    by_code = {f["properties"]["code"]: f for f in features}
    assert by_code["S-multi"]["geometry"]["type"] in ("MultiPolygon",)
    assert len(by_code["S-multi"]["geometry"]["coordinates"][1]) == 2  # the hole kept
    hole = by_code["S-hole"]["geometry"]
    assert len(hole["coordinates"] if hole["type"] == "Polygon" else hole["coordinates"][0]) == 2
    names = {f["properties"]["name"] for f in features}
    assert "line\u2028separator\u2029paragraph" in names and "长" * 10_000 in names


def test_feature_json_next_link_pages_like_the_parcel_path(app):
    client = app.test_client()
    first = client.get(f"{API}?limit=4").get_json()
    following = next(link["href"] for link in first["links"] if link["rel"] == "next")
    url = following.removeprefix("http://localhost")
    assert canonical(client.get(url).data) == canonical(parcel_path_document(app, url))


def test_feature_json_empty_page_is_a_collection_without_features(app):
    url = f"{API}?bbox=100,10,100.1,10.1"
    body = app.test_client().get(url).data
    assert orjson.loads(body)["features"] == [] and orjson.loads(body)["numberMatched"] == 0
    assert canonical(body) == canonical(parcel_path_document(app, url))
