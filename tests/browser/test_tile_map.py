"""The large-district map in Chromium: parcels from vector tiles, popups and list from the API.

A second live server runs the sample district with TILE_MAP_THRESHOLD below its size, so the
map page switches to vector tiles; the `page` fixture still guards requests and the console.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    WAIT_TIMEOUT_MS,
    LiveServer,
    popup_clear_of_controls,
    serve_sample,
)
from webapp.domain.filters import ParcelFilter

pytestmark = pytest.mark.browser

TILE_PATH = "/api/collections/parcels/tiles/WebMercatorQuad/"
MAP = "#map_parcels"
TILE_CANVASES = f"{MAP} .landgis-parcel-tiles canvas"

# Page coordinates of a lat/lon on the map when a parcel tile is the topmost element there
# (not under a control, the legend or off the map), else null.
CLICK_POINT_JS = """([lat, lon]) => {
  const point = map_parcels.latLngToContainerPoint([lat, lon]);
  const box = map_parcels.getContainer().getBoundingClientRect();
  const x = box.left + point.x, y = box.top + point.y;
  const hit = document.elementFromPoint(x, y);
  return hit && hit.closest(".landgis-parcel-tiles") ? [x, y] : null;
}"""


@pytest.fixture(scope="module")
def tile_server(tmp_path_factory) -> LiveServer:
    """The sample district served with a threshold of 10 parcels: the map uses vector tiles."""
    with serve_sample(tmp_path_factory.mktemp("tile-map"), TILE_MAP_THRESHOLD=10) as server:
        yield server


def store_count(server: LiveServer, **filter_fields) -> int:
    """How many published parcels the store holds for a filter."""
    return server.store.query(ParcelFilter(**filter_fields), limit=None).number_matched


def open_tile_map(page: Page, server: LiveServer, query: str = "") -> list[str]:
    """Open the map page, wait until every visible tile is drawn; return the tile URLs asked."""
    tiles: list[str] = []
    page.on("request", lambda r: tiles.append(r.url) if TILE_PATH in r.url else None)
    response = page.goto(server.url("/" + (f"?{query}" if query else "")))
    assert response.status == 200, f"{response.url}: HTTP {response.status}"
    page.wait_for_selector(f"{MAP}[data-tiles-loaded]", state="attached")
    page.wait_for_selector("#result-summary[data-count]", state="attached")
    return tiles


def drawn_parcels(page: Page) -> int:
    """Distinct parcels in the loaded tiles (set by tile-map.js when the tiles are in)."""
    return int(page.get_attribute(MAP, "data-parcel-count"))


def test_tile_map_draws_parcels_from_tiles(page, tile_server):
    tiles = open_tile_map(page, tile_server)
    assert tiles, "no vector tile was requested"
    assert page.locator(TILE_CANVASES).count() > 0
    assert drawn_parcels(page) == store_count(tile_server)  # the start view shows them all
    assert page.locator(f"{MAP} .leaflet-control-zoom-fullscreen").count() == 1
    assert page.locator(f"{MAP} .leaflet-control-locate").count() == 1
    assert page.locator(f"{MAP} .map-legend li").count() > 0


def test_tile_map_land_use_filter_changes_tiles_and_parcels(page, tile_server):
    code = tile_server.store.landuse_breakdown()[0].land_use
    expected = store_count(tile_server, land_uses=(code,))
    assert 0 < expected < store_count(tile_server)
    open_tile_map(page, tile_server)
    if page.get_attribute("#filters", "open") is None:
        page.click("#filters > summary")
    tiles: list[str] = []
    page.on("request", lambda r: tiles.append(r.url) if TILE_PATH in r.url else None)
    box = page.locator(f"#filter-form input[name=land_use][value='{code}']")
    box.locator("xpath=ancestor::details[1]/summary").click()  # the class's sub-classes
    loaded = int(page.get_attribute(MAP, "data-tiles-loaded"))
    box.click()  # applied in place: the tiles are asked for again, the page stays
    page.wait_for_function("([map, n]) => Number(document.querySelector(map)"
                           ".getAttribute('data-tiles-loaded')) > n", arg=[MAP, loaded])
    expect(page.locator("#result-summary")).to_have_attribute("data-count", str(expected),
                                                              timeout=WAIT_TIMEOUT_MS)
    assert tiles and all(f"land_use={code}" in url for url in tiles)
    assert drawn_parcels(page) == expected


def clickable_parcel(page: Page, server: LiveServer):
    """A parcel drawn at an unobstructed spot, with the page coordinates of a point inside it."""
    for parcel in server.store.query(ParcelFilter(), limit=None, with_geometry=True).parcels:
        inside = parcel.geometry.representative_point()
        point = page.evaluate(CLICK_POINT_JS, [inside.y, inside.x])
        if point:
            return parcel, point
    pytest.fail("no parcel can be clicked on the map")


def test_tile_map_click_shows_parcel_popup_from_api(page, tile_server):
    open_tile_map(page, tile_server)
    parcel, point = clickable_parcel(page, tile_server)
    with page.expect_response(re.compile(rf"/api/collections/parcels/items/{parcel.id}$")):
        page.mouse.click(*point)
    popup = page.locator(f"{MAP} .leaflet-popup-content .popup-facts")
    expect(popup).to_contain_text(parcel.code)
    expect(popup).to_contain_text(f"{parcel.area_mu:,.2f} 亩")
    assert popup_clear_of_controls(page, MAP)


def test_tile_map_list_pages_from_api(page, tile_server):
    open_tile_map(page, tile_server)
    total = store_count(tile_server)
    assert int(page.get_attribute("#result-summary", "data-count")) == total
    expect(page.locator("#result-list > li")).to_have_count(50)
    page.click("#list-more-button")
    expect(page.locator("#result-list > li")).to_have_count(min(100, total))
    expect(page.locator("#list-range")).to_contain_text(str(total))


def test_tile_map_list_item_zooms_to_parcel_popup(page, tile_server):
    parcel = tile_server.store.query(ParcelFilter(), limit=None, sort="status").parcels[7]
    open_tile_map(page, tile_server)
    page.click(f"#result-list button[data-parcel-id='{parcel.id}']")
    popup = page.locator(f"{MAP} .leaflet-popup-content")
    expect(popup).to_contain_text(parcel.code)
    expect(popup).to_contain_text(f"{parcel.area_mu:,.2f} 亩")
    expect(popup).to_be_in_viewport()
    assert popup_clear_of_controls(page, MAP)
