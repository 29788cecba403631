"""The large-district map with a text filter: it opens at TEXT_SEARCH_MIN_ZOOM or closer, shows a
hint below it, and logs no error (the `page` fixture fails on console errors and failed
requests)."""

import re

import pytest

from tests.browser.conftest import LiveServer, serve_sample
from tests.browser.test_tile_map import TILE_PATH, open_tile_map
from webapp.domain.filters import ParcelFilter

pytestmark = pytest.mark.browser

SEARCH_ZOOM = 14


@pytest.fixture(scope="module")
def tile_server(tmp_path_factory) -> LiveServer:
    """The sample district on the tile map (threshold 10 parcels)."""
    with serve_sample(tmp_path_factory.mktemp("text-map"), TILE_MAP_THRESHOLD=10,
                      TEXT_SEARCH_MIN_ZOOM=SEARCH_ZOOM) as server:
        yield server


def tile_zooms(urls: list[str]) -> list[int]:
    return [int(re.search(r"WebMercatorQuad/(\d+)/", url).group(1)) for url in urls]


def test_text_search_map_opens_at_the_search_zoom_and_hints_below_it(page, tile_server):
    code = tile_server.store.query(ParcelFilter(), limit=1).parcels[0].code
    tiles = open_tile_map(page, tile_server, f"q={code[:4]}")
    opened = list(tiles)
    page.evaluate("map_parcels.setZoom(10, {animate: false})")
    page.wait_for_selector("#map_parcels .map-hint:not([hidden])", state="visible")
    assert opened and all(TILE_PATH in url for url in opened)
    assert min(tile_zooms(opened)) >= SEARCH_ZOOM
    # Zooming out, Leaflet.VectorGrid asks for one round of tiles at the new zoom before
    # tile-map.js takes the layer off (on zoomend): those are empty, so nothing is logged.
    assert page.locator("#result-summary[data-count]").count() == 1
