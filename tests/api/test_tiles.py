"""Vector tiles over HTTP: z/row/column order, attributes, filters, metadata, TileJSON, 404/400."""

import mapbox_vector_tile
import pytest
import shapely

from tests.api.conftest import unpublish
from webapp.tiles.grid import tile_containing

TILES = "/api/collections/parcels/tiles/WebMercatorQuad"
MVT = "application/vnd.mapbox-vector-tile"


def tile_of(store, code, z):
    centre = shapely.centroid(store.get(code).geometry)
    return tile_containing(centre.x, centre.y, z)


def layer(response):
    return mapbox_vector_tile.decode(response.data, default_options={"y_coord_down": True}
                                     ).get("parcels", {"features": []})


def tile_codes(response):
    return sorted(f["properties"]["code"] for f in layer(response)["features"])


def test_tile_url_is_z_row_column(client, small_store):
    tile = tile_of(small_store, "T-004", 16)
    assert "T-004" in tile_codes(client.get(f"{TILES}/{tile.z}/{tile.y}/{tile.x}"))


def test_tile_with_row_and_column_swapped_misses_the_parcel(client, small_store):
    tile = tile_of(small_store, "T-004", 16)
    assert tile_codes(client.get(f"{TILES}/{tile.z}/{tile.x}/{tile.y}")) == []


def test_tile_media_type_is_mvt(client, small_store):
    tile = tile_of(small_store, "T-001", 14)
    assert client.get(f"{TILES}/{tile.z}/{tile.y}/{tile.x}").mimetype == MVT


def test_tile_feature_attributes(client, small_store):
    parcel = small_store.get("T-004")
    tile = tile_of(small_store, "T-004", 16)
    feature = layer(client.get(f"{TILES}/{tile.z}/{tile.y}/{tile.x}"))["features"][0]
    assert feature["properties"] == {"id": parcel.id, "code": "T-004", "land_use": "1401",
                                     "status": "reserve", "area_m2": round(parcel.area_m2, 2),
                                     "area_mu": round(parcel.area_mu, 2)}
    assert feature["id"] == parcel.id


def test_tile_filter_by_status_drops_other_parcels(client, small_store):
    tile = tile_of(small_store, "T-001", 13)
    url = f"{TILES}/{tile.z}/{tile.y}/{tile.x}"
    assert tile_codes(client.get(url)) == ["T-001", "T-002", "T-003", "T-004"]
    assert tile_codes(client.get(url + "?status=sold")) == ["T-003"]


def test_tile_hides_unpublished_parcels(client, small_store):
    tile = tile_of(small_store, "T-004", 16)
    unpublish(small_store, "T-004")
    assert tile_codes(client.get(f"{TILES}/{tile.z}/{tile.y}/{tile.x}")) == []


def test_tile_away_from_the_district_is_empty(client):
    response = client.get(f"{TILES}/5/1/1")
    assert response.status_code == 200 and tile_codes(response) == []


@pytest.mark.parametrize("z, y, x", [(25, 0, 0), (0, 1, 0), (0, 0, 1), (3, 8, 0), (3, 0, 8),
                                     (4294967296, 0, 0)])
def test_tile_outside_the_grid_is_404(client, z, y, x):
    response = client.get(f"{TILES}/{z}/{y}/{x}?lang=en")
    assert response.status_code == 404
    assert response.json["description"] == (f"There is no tile {z}/{y}/{x} (z/row/column) in "
                                             "the WebMercatorQuad grid.")


@pytest.mark.parametrize("z, y, x, name", [("a", "0", "0", "z"), ("1", "-1", "0", "y"),
                                           ("1", "0", "1.5", "x"), ("1", "0", "0x1", "x")])
def test_tile_index_not_a_whole_number_is_400(client, z, y, x, name):
    response = client.get(f"{TILES}/{z}/{y}/{x}?lang=en")
    assert response.status_code == 400
    assert response.json["description"] == f"{name}: must be a whole number ≥ 0"


def test_tile_invalid_filter_is_400(client):
    assert client.get(f"{TILES}/1/0/0?status=gone").status_code == 400


def test_tile_etag_and_conditional_get(client, small_store):
    tile = tile_of(small_store, "T-001", 15)
    url = f"{TILES}/{tile.z}/{tile.y}/{tile.x}"
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_tileset_metadata_names_the_grid_and_layer(client):
    document = client.get(TILES).json
    assert document["tileMatrixSetURI"] == (
        "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad")
    assert document["layers"][0]["id"] == "parcels" and document["dataType"] == "vector"


def test_tileset_limits_cover_the_district_tile(client, small_store):
    tile = tile_of(small_store, "T-004", 16)
    limits = next(li for li in client.get(TILES).json["tileMatrixSetLimits"]
                  if li["tileMatrix"] == "16")
    assert limits["minTileRow"] <= tile.y <= limits["maxTileRow"]
    assert limits["minTileCol"] <= tile.x <= limits["maxTileCol"]


def test_tileset_item_link_is_the_tile_template(client):
    link = next(li for li in client.get(TILES).json["links"] if li["rel"] == "item")
    assert link["href"] == "http://localhost" + TILES + "/{z}/{y}/{x}" and link["templated"]


def test_tilesets_list_links_the_tileset(client):
    tileset = client.get("/api/collections/parcels/tiles").json["tilesets"][0]
    assert {"rel": "self", "type": "application/json", "title": "Tile set metadata",
            "href": "http://localhost" + TILES} in tileset["links"]


def test_tilejson_is_version_3_with_vector_layer(client):
    document = client.get(TILES + "/tilejson.json").json
    assert document["tilejson"] == "3.0.0"
    assert document["vector_layers"][0]["id"] == "parcels"
    assert set(document["vector_layers"][0]["fields"]) == {"id", "code", "land_use", "status",
                                                            "area_m2", "area_mu"}


def test_tilejson_template_filled_in_leaflet_style_finds_the_parcel(client, small_store):
    template = client.get(TILES + "/tilejson.json").json["tiles"][0]
    tile = tile_of(small_store, "T-004", 16)
    url = template.format(z=tile.z, x=tile.x, y=tile.y).removeprefix("http://localhost")
    assert "T-004" in tile_codes(client.get(url))


def test_tilejson_carries_filters_into_tile_urls(client):
    template = client.get(TILES + "/tilejson.json?status=sold&land_use=09").json["tiles"][0]
    assert template.endswith("/{z}/{y}/{x}?status=sold&land_use=09")


def test_tilejson_bounds_are_the_store_bounds(client, small_store):
    assert client.get(TILES + "/tilejson.json").json["bounds"] == list(small_store.bounds())
