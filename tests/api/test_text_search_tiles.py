"""Tiles filtered by text (q=) hold parcels only from TEXT_SEARCH_MIN_ZOOM (empty below it, as
every tile client handles silently); TileJSON and the tile map page start there (issue 14,
section 5)."""

import mapbox_vector_tile
import pytest
import shapely

from tests.conftest import DATA, make_app
from tests.http.pages import islands
from webapp.tiles.grid import tile_containing

TILES = "/api/collections/parcels/tiles/WebMercatorQuad"
MVT = "application/vnd.mapbox-vector-tile"


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, DATA / "small.geojson", TEXT_SEARCH_MIN_ZOOM=14,
                    TILE_MAP_THRESHOLD=2)


def tile_url(app, z: int, query: str = "") -> str:
    centre = shapely.centroid(app.extensions["landgis.store"].get("T-001").geometry)
    tile = tile_containing(centre.x, centre.y, z)
    return f"{TILES}/{tile.z}/{tile.y}/{tile.x}{query}"


@pytest.mark.parametrize("z", [0, 8, 13])
def test_text_search_tile_below_min_zoom_is_empty(app, z):
    response = app.test_client().get(tile_url(app, z, "?q=T-001"))
    assert response.status_code == 200 and response.mimetype == MVT
    assert response.data == b""


def test_text_search_tile_below_min_zoom_does_not_search(app, monkeypatch):
    store = app.extensions["landgis.store"]
    monkeypatch.setattr(store, "tile", lambda *args: pytest.fail("the store was searched"))
    assert app.test_client().get(tile_url(app, 13, "?q=T-001")).status_code == 200


@pytest.mark.parametrize("z", [14, 16])
def test_text_search_tile_from_min_zoom_is_served(app, z):
    response = app.test_client().get(tile_url(app, z, "?q=T-001"))
    layer = mapbox_vector_tile.decode(response.data)["parcels"]
    assert response.status_code == 200
    assert [f["properties"]["code"] for f in layer["features"]] == ["T-001"]


@pytest.mark.parametrize("query", ["", "?street=金家庄街道", "?q=", "?q=%20%20"])
def test_tile_without_text_is_served_at_any_zoom(app, query):
    layer = mapbox_vector_tile.decode(app.test_client().get(tile_url(app, 10, query)).data)
    assert layer["parcels"]["features"]


def test_text_search_min_zoom_is_configurable(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson", TEXT_SEARCH_MIN_ZOOM=0)
    layer = mapbox_vector_tile.decode(app.test_client().get(tile_url(app, 10, "?q=T-001")).data)
    assert [f["properties"]["code"] for f in layer["parcels"]["features"]] == ["T-001"]


def test_tilejson_with_text_starts_at_the_min_zoom(app):
    document = app.test_client().get(f"{TILES}/tilejson.json?q=T-001").get_json()
    assert document["minzoom"] == 14 and document["vector_layers"][0]["minzoom"] == 14
    assert "q=T-001" in document["tiles"][0]


def test_tilejson_without_text_starts_at_zero(app):
    assert app.test_client().get(f"{TILES}/tilejson.json").get_json()["minzoom"] == 0


def test_tile_map_page_with_text_asks_for_tiles_from_the_min_zoom(app):
    html = app.test_client().get("/?q=T-00").get_data(as_text=True)
    assert islands(html)["map_parcels-tiles"]["minZoom"] == 14


def test_tile_map_page_without_text_keeps_its_min_zoom(app):
    html = app.test_client().get("/").get_data(as_text=True)
    assert islands(html)["map_parcels-tiles"]["minZoom"] == 0
