"""The context layers' API and maps on a PostGIS store: the same routes answer as on the
GeoPackage store (tests/api/test_context_api.py), through the same ContextStore interface."""

import mapbox_vector_tile

from tests.context_fixtures import add_context_layers
from tests.http.pages import islands
from webapp.tiles.grid import tile_containing


def test_postgis_app_serves_context_collections_items_and_tiles(pg_app):
    store = pg_app.extensions["landgis.store"]
    layers = add_context_layers(store)
    client = pg_app.test_client()
    ids = [c["id"] for c in client.get("/api/collections").json["collections"]]
    assert ids == ["parcels", *sorted(layer.name for layer in layers)]
    items = client.get("/api/collections/interchanges/items?limit=1").json
    assert items["numberMatched"] == 2
    assert items["features"][0]["properties"]["name"] == "马鞍山东互通"
    west, south, east, north = store.bounds()
    address = tile_containing((west + east) / 2, (south + north) / 2, 13)
    url = f"/api/context/tiles/WebMercatorQuad/{address.z}/{address.y}/{address.x}"
    tile = client.get(url)
    names = {f["properties"]["layer"] for f in mapbox_vector_tile.decode(tile.data)["context"][
        "features"]}
    assert names == {layer.name for layer in layers}
    etag = tile.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_postgis_app_map_draws_the_context_layers(pg_app):
    add_context_layers(pg_app.extensions["landgis.store"])
    html = pg_app.test_client().get("/").get_data(as_text=True)
    assert len(islands(html)["map_parcels-context"]["layers"]) == 6
