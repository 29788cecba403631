"""Cached vector tiles over HTTP: an edit shows in the next tile response, with a new ETag."""

import mapbox_vector_tile
import shapely

from webapp.tiles.grid import tile_containing

TILES = "/api/collections/parcels/tiles/WebMercatorQuad"


def statuses(response):
    layer = mapbox_vector_tile.decode(response.data).get("parcels", {"features": []})
    return {f["properties"]["code"]: f["properties"]["status"] for f in layer["features"]}


def test_tile_after_an_edit_shows_the_new_value_and_a_new_etag(client, small_store):
    parcel = small_store.get("T-001")
    centre = shapely.centroid(parcel.geometry)
    tile = tile_containing(centre.x, centre.y, 16)
    url = f"{TILES}/{tile.z}/{tile.y}/{tile.x}"
    before = client.get(url)
    assert client.get(url, headers={"If-None-Match": before.headers["ETag"]}).status_code == 304
    small_store.update_parcel(parcel.id, {"status": "sold"}, None, "ada", "form")
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert (after.status_code, statuses(after)["T-001"]) == (200, "sold")
