"""Context layers on the pages' maps over HTTP: the map page (embedded and tile map) and the
parcel page hand the layers to the browser in a data island; without layers nothing changes;
hostile layer titles and feature names stay inert text."""

import mapbox_vector_tile
import pytest

from tests.conftest import DATA, make_app
from tests.context_fixtures import add_context_layers, add_hostile_layers
from tests.hostile import HOSTILE, hostile_items
from tests.http.pages import assert_inert, islands
from webapp.tiles.grid import tile_containing

TILE_URL = "/api/context/tiles/WebMercatorQuad/{z}/{y}/{x}"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The four-parcel district with the hand-made context layers."""
    app = make_app(tmp_path_factory.mktemp("context-pages"), DATA / "small.geojson")
    add_context_layers(app.extensions["landgis.store"])
    return app


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def page_islands(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return islands(response.get_data(as_text=True))


def test_map_page_hands_the_layers_to_the_map(client, app):
    context = page_islands(client, "/")["map_parcels-context"]
    stored = app.extensions["landgis.store"].context.layers()
    assert context["tileUrl"] == TILE_URL
    assert sorted(entry["name"] for entry in context["layers"]) == [layer.name for layer in stored]
    assert [entry["family"] for entry in context["layers"]] == sorted(
        (entry["family"] for entry in context["layers"]),
        key=["polygon", "line", "point"].index)


@pytest.mark.parametrize("query, label", [("", "高速互通"), ("?lang=en", "Interchange")])
def test_map_legend_lists_each_layer_by_kind(client, query, label):
    legend = page_islands(client, "/" + query)["map_parcels-legend"]
    items = {item["title"]: item["label"] for item in legend["context"]["items"]}
    assert items["高速互通"] == label and len(items) == 6


def test_parcel_page_map_draws_the_layers(client):
    found = page_islands(client, "/parcels/T-001")
    assert found["map_parcel-context"]["tileUrl"] == TILE_URL
    assert "context" in found["map_parcel-legend"]


def test_tile_map_page_draws_the_layers(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson", TILE_MAP_THRESHOLD=2)
    add_context_layers(app.extensions["landgis.store"])
    found = page_islands(app.test_client(), "/")
    assert list(found)[:2] == ["map_parcels-context", "map_parcels-tiles"]


@pytest.mark.parametrize("url", ["/", "/parcels/T-001"])
def test_page_without_context_layers_has_no_context(tmp_path, url):
    html = make_app(tmp_path, DATA / "small.geojson").test_client().get(url).get_data(
        as_text=True)
    assert "context-layers.js" not in html and "addContextLayers" not in html
    assert all("context" not in data for data in islands(html).values()
               if isinstance(data, dict))


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    """The four-parcel district with one context layer per corpus string: the string as the
    layer's title (cut to 80 characters) and as its one feature's name and class."""
    app = make_app(tmp_path_factory.mktemp("context-hostile"), DATA / "small.geojson")
    add_hostile_layers(app.extensions["landgis.store"])
    return app


@pytest.mark.parametrize("url", ["/", "/parcels/T-001", "/api/collections?f=html",
                                 "/api/collections/h03/items?f=html",
                                 "/api/collections/h04?f=html"])
def test_hostile_layer_texts_leave_pages_inert(hostile_app, url):
    response = hostile_app.test_client().get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert_inert(html)
    assert HOSTILE["img_onerror"] not in html and HOSTILE["svg_onload"] not in html


def test_hostile_layer_titles_reach_the_map_as_exact_text(hostile_app):
    context = page_islands(hostile_app.test_client(), "/")["map_parcels-context"]
    assert {entry["title"] for entry in context["layers"]} == {
        text[:80] for text in HOSTILE.values()}


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=list(HOSTILE))
def test_hostile_feature_name_comes_back_exactly_from_the_api(hostile_app, key, text):
    name = f"h{list(HOSTILE).index(key):02d}"
    client = hostile_app.test_client()
    feature = client.get(f"/api/collections/{name}/items").json["features"][0]
    assert feature["properties"] == {"name": text, "class": text}
    assert client.get(f"/api/collections/{name}").json["title"] == text[:80]


def test_hostile_feature_names_come_back_exactly_from_the_context_tile(hostile_app):
    west, _, _, north = hostile_app.extensions["landgis.store"].bounds()
    tile = tile_containing(west, north + 1e-3, 14)
    response = hostile_app.test_client().get(
        f"/api/context/tiles/WebMercatorQuad/{tile.z}/{tile.y}/{tile.x}")
    features = mapbox_vector_tile.decode(response.data)["context"]["features"]
    assert {f["properties"]["name"] for f in features} == set(HOSTILE.values())
