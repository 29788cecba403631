"""Context layers in the API: OGC API - Features collections (items, one item), their vector
tiles and the combined context tiles with TileJSON, errors, ETags, and the parcels' own routes
keeping precedence over /collections/{collection_id}."""

import mapbox_vector_tile
import pytest
from shapely.geometry import shape

from tests.conftest import DATA, make_app
from tests.context_fixtures import add_context_layers
from webapp.api.params import parameters
from webapp.store.context_store import CONTEXT_TILE_ATTRIBUTES
from webapp.tiles.grid import tile_containing

COLLECTIONS = "/api/collections"
ALL_TILES = "/api/context/tiles/WebMercatorQuad"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The four-parcel district with the hand-made context layers around it."""
    app = make_app(tmp_path_factory.mktemp("context-api"), DATA / "small.geojson")
    add_context_layers(app.extensions["landgis.store"])
    return app


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def store(app):
    return app.extensions["landgis.store"]


@pytest.fixture(scope="module")
def layers(store):
    return {layer.name: layer for layer in store.context.layers()}


def centre_tile(store, z):
    west, south, east, north = store.bounds()
    return tile_containing((west + east) / 2, (south + north) / 2, z)


def decoded(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    tile = mapbox_vector_tile.decode(response.data, default_options={"y_coord_down": True})
    return tile.get("context", {"features": []})["features"]


def test_collections_list_parcels_then_every_context_layer(client, layers):
    ids = [c["id"] for c in client.get(COLLECTIONS).json["collections"]]
    assert ids == ["parcels", *sorted(layers)]


def test_context_collection_describes_the_layer(client, layers):
    document = client.get(f"{COLLECTIONS}/interchanges").json
    layer = layers["interchanges"]
    assert (document["id"], document["title"], document["itemType"], document["kind"]) == (
        "interchanges", "高速互通", "feature", "interchange")
    assert document["extent"]["spatial"]["bbox"] == [pytest.approx(list(layer.bounds))]
    rels = {(link["rel"], link["type"]) for link in document["links"]}
    assert ("items", "application/geo+json") in rels
    assert ("item", "application/vnd.mapbox-vector-tile") in rels


@pytest.mark.parametrize("name", ["nope", "parcels2", "Interchanges", "%3Cscript%3E"])
def test_unknown_collection_is_404_not_found(client, name):
    for path in ("", "/items", "/items/1", "/tiles/WebMercatorQuad/14/0/0",
                 "/tiles/WebMercatorQuad/tilejson.json"):
        response = client.get(f"{COLLECTIONS}/{name}{path}")
        assert response.status_code == 404, path
        assert response.json["code"] == "NotFound"


def test_unknown_collection_message_names_it(client):
    response = client.get(f"{COLLECTIONS}/nope?lang=en")
    assert response.json["description"] == "There is no collection “nope”."


def test_items_are_the_layers_features_with_name_and_class(client, store):
    collection = client.get(f"{COLLECTIONS}/interchanges/items").json
    stored = store.context.features("interchanges").features
    assert collection["numberMatched"] == collection["numberReturned"] == len(stored) == 2
    assert [f["id"] for f in collection["features"]] == [f.id for f in stored]
    assert collection["features"][0]["properties"] == {"name": "马鞍山东互通", "class": None}
    assert shape(collection["features"][0]["geometry"]).equals_exact(stored[0].geometry, 1e-7)


def test_items_media_type_is_geojson(client):
    response = client.get(f"{COLLECTIONS}/g205/items")
    assert response.mimetype == "application/geo+json"


def test_items_page_with_next_links_to_the_last_feature(client, store):
    url, seen = f"{COLLECTIONS}/g205/items?limit=1", []
    while url:
        page = client.get(url).json
        assert page["numberMatched"] == 2
        seen += [f["id"] for f in page["features"]]
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    assert seen == [f.id for f in store.context.features("g205").features]


def test_items_bbox_keeps_features_that_meet_it(client, store):
    west, south, east, north = store.bounds()
    box = f"{west - 0.0045},{south},{west - 0.003},{north}"  # the river's strip, west of it
    names = {f["properties"]["name"] for f in client.get(
        f"{COLLECTIONS}/yangtze/items?bbox={box}").json["features"]}
    assert names == {"长江"}
    far = client.get(f"{COLLECTIONS}/yangtze/items?bbox={east},{south},{east + 0.001},{north}")
    assert far.json["numberMatched"] == 0


@pytest.mark.parametrize("query, name", [
    ("limit=0", "limit"), ("limit=abc", "limit"), ("offset=-1", "offset"), ("bbox=1,2", "bbox"),
    ("bbox=a,b,c,d", "bbox"), ("bbox=10,0,5,1", "bbox"), ("colour=red", "colour"),
    ("datetime=yesterday", "datetime"), ("f=xml", "f")])
def test_items_bad_parameter_is_400_naming_it(client, query, name):
    response = client.get(f"{COLLECTIONS}/g205/items?{query}&lang=en")
    assert response.status_code == 400
    assert response.json["code"] == "InvalidParameterValue"
    assert response.json["description"].startswith(f"{name}: ")


def test_items_limit_above_the_maximum_is_clamped(client):
    assert client.get(f"{COLLECTIONS}/g205/items?limit=99999").status_code == 200


def test_items_html_lists_the_names(client):
    response = client.get(f"{COLLECTIONS}/interchanges/items?f=html")
    assert response.mimetype == "text/html"
    assert "马鞍山东互通" in response.text and "高速互通" in response.text


def test_item_by_id(client, store):
    feature = store.context.features("stations").features[0]
    document = client.get(f"{COLLECTIONS}/stations/items/{feature.id}").json
    assert (document["id"], document["properties"]) == (
        feature.id, {"name": "马鞍山东站", "class": "railway"})
    assert document["geometry"]["type"] == "Point"


@pytest.mark.parametrize("feature_id", ["999999", "abc", "1.5", "-1", "٣", str(2**70)])
def test_unknown_item_is_404(client, feature_id):
    response = client.get(f"{COLLECTIONS}/stations/items/{feature_id}")
    assert response.status_code == 404 and response.json["code"] == "NotFound"


def test_item_of_another_layer_is_404(client, store):
    road = store.context.features("g205").features[0]
    assert client.get(f"{COLLECTIONS}/stations/items/{road.id}").status_code == 404


def test_combined_tile_holds_every_layer_with_its_attributes(client, store, layers):
    tile = centre_tile(store, 13)
    features = decoded(client.get(f"{ALL_TILES}/{tile.z}/{tile.y}/{tile.x}"))
    assert {f["properties"]["layer"] for f in features} == set(layers)
    interchange = next(f for f in features if f["properties"].get("name") == "马鞍山东互通")
    assert interchange["properties"]["kind"] == "interchange"
    assert set(interchange["properties"]) <= set(CONTEXT_TILE_ATTRIBUTES)


def test_layer_tile_holds_only_that_layer(client, store):
    tile = centre_tile(store, 13)
    url = f"{COLLECTIONS}/g205/tiles/WebMercatorQuad/{tile.z}/{tile.y}/{tile.x}"
    assert {f["properties"]["layer"] for f in decoded(client.get(url))} == {"g205"}


def test_tile_with_row_and_column_swapped_misses_the_features(client, store):
    tile = centre_tile(store, 16)
    assert decoded(client.get(f"{ALL_TILES}/{tile.z}/{tile.y}/{tile.x}"))
    assert decoded(client.get(f"{ALL_TILES}/{tile.z}/{tile.x}/{tile.y}")) == []


def test_tile_media_type_is_mvt(client):
    assert client.get(f"{ALL_TILES}/0/0/0").mimetype == "application/vnd.mapbox-vector-tile"


@pytest.mark.parametrize("path, status", [("25/0/0", 404), ("3/8/0", 404), ("a/0/0", 400),
                                          ("1/-1/0", 400), ("1/0/x", 400)])
def test_tile_outside_the_grid_or_malformed(client, path, status):
    for url in (f"{ALL_TILES}/{path}", f"{COLLECTIONS}/g205/tiles/WebMercatorQuad/{path}"):
        assert client.get(url).status_code == status, url


def test_tilejson_of_every_layer(client, layers):
    document = client.get(f"{ALL_TILES}/tilejson.json").json
    assert document["tilejson"] == "3.0.0"
    assert document["tiles"] == ["http://localhost/api/context/tiles/WebMercatorQuad/{z}/{y}/{x}"]
    assert document["vector_layers"][0]["id"] == "context"
    assert document["vector_layers"][0]["fields"] == CONTEXT_TILE_ATTRIBUTES
    boxes = [layer.bounds for layer in layers.values()]
    assert document["bounds"] == pytest.approx([min(b[0] for b in boxes), min(b[1] for b in boxes),
                                                max(b[2] for b in boxes), max(b[3] for b in boxes)])


def test_tilejson_of_one_layer(client, layers):
    document = client.get(f"{COLLECTIONS}/g205/tiles/WebMercatorQuad/tilejson.json").json
    assert document["tiles"] == [
        "http://localhost/api/collections/g205/tiles/WebMercatorQuad/{z}/{y}/{x}"]
    assert document["bounds"] == pytest.approx(list(layers["g205"].bounds))


@pytest.mark.parametrize("url", [f"{ALL_TILES}/0/0/0", f"{COLLECTIONS}/g205/items",
                                 f"{COLLECTIONS}/g205", f"{ALL_TILES}/tilejson.json"])
def test_etag_follows_the_context_generation(client, store, url):
    first = client.get(url)
    etag = first.headers["ETag"]
    assert etag == f'W/"context-{store.context.generation()}-{etag.split("-")[-1]}'
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["Cache-Control"].startswith("public")


def test_changed_layer_changes_the_etag(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson")
    store = app.extensions["landgis.store"]
    layers = add_context_layers(store)
    client = app.test_client()
    etag = client.get(f"{ALL_TILES}/0/0/0").headers["ETag"]
    store.context.delete_layer(layers[0].name)
    changed = client.get(f"{ALL_TILES}/0/0/0", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


@pytest.mark.parametrize("path, endpoint", [
    ("/api/collections/parcels", "api.collection"),
    ("/api/collections/parcels/items", "api.items"),
    ("/api/collections/parcels/items/7", "api.item"),
    ("/api/collections/parcels/tiles/WebMercatorQuad/tilejson.json", "api.tilejson"),
    ("/api/collections/parcels/tiles/WebMercatorQuad/1/0/0", "api.tile"),
    ("/api/collections/g205", "api.context_collection"),
    ("/api/collections/g205/items/7", "api.context_item"),
    ("/api/collections/g205/tiles/WebMercatorQuad/tilejson.json", "api.context_layer_tilejson"),
])
def test_parcel_routes_keep_precedence(app, path, endpoint):
    assert app.url_map.bind("localhost").match(path)[0] == endpoint


def test_parcels_collection_is_still_the_parcels(client, store):
    assert client.get(f"{COLLECTIONS}/parcels/items").json["numberMatched"] == store.count(
        include_drafts=False)


def test_parcels_tile_has_no_context(client, store):
    tile = centre_tile(store, 13)
    response = client.get(f"{COLLECTIONS}/parcels/tiles/WebMercatorQuad/{tile.z}/{tile.y}/{tile.x}")
    assert set(mapbox_vector_tile.decode(response.data)) == {"parcels"}


@pytest.mark.parametrize("path", [
    "/collections/{collection_id}", "/collections/{collection_id}/items",
    "/collections/{collection_id}/items/{context_feature_id}",
    "/collections/{collection_id}/tiles/WebMercatorQuad/{z}/{y}/{x}",
    "/collections/{collection_id}/tiles/WebMercatorQuad/tilejson.json",
    "/context/tiles/WebMercatorQuad/{z}/{y}/{x}", "/context/tiles/WebMercatorQuad/tilejson.json"])
def test_openapi_documents_context_routes_from_the_registry(client, path):
    operation = client.get("/api/openapi").json["paths"][path]["get"]
    assert operation["parameters"] == [parameters()[p["name"]].openapi()
                                       for p in operation["parameters"]]
    assert {"200", "400", "404"} <= set(operation["responses"])


def test_collections_html_links_each_layer(client):
    html = client.get(f"{COLLECTIONS}?f=html").text
    assert 'href="/api/collections/g205?f=html"' in html and "205国道" in html


def test_empty_store_lists_only_parcels(tmp_path):
    client = make_app(tmp_path, DATA / "small.geojson").test_client()
    assert [c["id"] for c in client.get(COLLECTIONS).json["collections"]] == ["parcels"]
    assert client.get(f"{ALL_TILES}/0/0/0").status_code == 200
    assert client.get(f"{ALL_TILES}/tilejson.json").json["bounds"] == [
        -180.0, pytest.approx(-85.0511287798066), 180.0, pytest.approx(85.0511287798066)]

