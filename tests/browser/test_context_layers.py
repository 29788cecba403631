"""Context layers in Chromium at phone and desktop sizes, with the basemap unreachable (as on an
intranet): the sample district's context layers draw under the parcels on the embedded map, the
tile map and the parcel page; a layer toggles off and on in the layer control; the legend lists
each layer by its kind; interchange names show as tooltips, under canvas parcel tiles too;
hostile layer titles and feature names show as text and run nothing."""

import shutil
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SAMPLE, LiveServer, serve_file
from tests.browser.test_hostile_pages import RECORD_VIOLATIONS
from tests.conftest import DATA
from tests.context_fixtures import add_hostile_layers
from tests.hostile import HOSTILE
from webapp.domain.context import CONTEXT_KINDS
from webapp.domain.filters import ParcelFilter
from webapp.tiles import projected

pytestmark = pytest.mark.browser

# Grid points over the map where a context feature and a parcel are both under the pointer:
# [how many, how many with the parcel on top]. A parcel is an SVG parcel path, or a parcel
# tile canvas with paint at that pixel.
STACKING_JS = """([mapSelector, step]) => {
  const map = document.querySelector(mapSelector);
  const box = map.getBoundingClientRect();
  function isParcel(el, x, y) {
    if (el.tagName === "path") {
      return el.classList.contains("leaflet-interactive") &&
        !el.classList.contains("landgis-context");
    }
    if (el.tagName !== "CANVAS" || !el.closest(".landgis-parcel-tiles")) { return false; }
    const r = el.getBoundingClientRect();
    const pixel = el.getContext("2d").getImageData(Math.floor((x - r.left) * el.width / r.width),
      Math.floor((y - r.top) * el.height / r.height), 1, 1).data;
    return pixel[3] > 0;
  }
  let both = 0, parcelOnTop = 0;
  for (let y = box.top + step / 2; y < box.bottom; y += step) {
    for (let x = box.left + step / 2; x < box.right; x += step) {
      const hits = document.elementsFromPoint(x, y);
      if (!hits.length || hits[0].closest(".leaflet-control")) { continue; }
      const context = hits.findIndex(el => el.classList.contains("landgis-context"));
      const parcel = hits.findIndex(el => isParcel(el, x, y));
      if (context >= 0 && parcel >= 0) { both++; if (parcel < context) { parcelOnTop++; } }
    }
  }
  return [both, parcelOnTop];
}"""

# Visible context paths per layer name.
VISIBLE_JS = """(mapSelector) => {
  const counts = {};
  for (const path of document.querySelectorAll(mapSelector + " path.landgis-context")) {
    if (!path.checkVisibility()) { continue; }
    const name = [...path.classList].find(c => c.startsWith("landgis-ctx-")).slice(12);
    counts[name] = (counts[name] || 0) + 1;
  }
  return counts;
}"""

# Page coordinates of a lat/lon on the map when a context feature is the topmost map element
# there (not under a control or the legend), else null.
POINT_JS = """([mapName, lat, lon]) => {
  const map = window[mapName];
  const point = map.latLngToContainerPoint([lat, lon]);
  const box = map.getContainer().getBoundingClientRect();
  const x = box.left + point.x, y = box.top + point.y;
  const inside = x > box.left + 8 && x < box.right - 8 && y > box.top + 8 && y < box.bottom - 8;
  if (!inside) { return null; }
  const hits = document.elementsFromPoint(x, y);
  if (!hits.length || hits[0].closest(".leaflet-control")) { return null; }
  return hits.some(el => el.classList.contains("landgis-context")) ? [x, y] : null;
}"""


def serve_with_context(tmp, **settings):
    """The sample district with its bundled context layers (geodata/sample/context), which the
    app loads on its first start like `landgis init`; the tile loops compiled first, as
    `landgis serve` does."""
    projected.warm_up()
    shutil.copytree(SAMPLE.parent / "context", tmp / "context")
    return serve_file(tmp, SAMPLE, **settings)


@pytest.fixture(scope="module")
def context_server(tmp_path_factory) -> LiveServer:
    with serve_with_context(tmp_path_factory.mktemp("context-map")) as server:
        assert server.store.context.layers(), "the sample district has no context layers"
        yield server


@pytest.fixture(params=["embedded", "tiles"])
def server(request, context_server) -> LiveServer:
    """The server with the embedded map, or switched to the tile map for this test by a
    TILE_MAP_THRESHOLD below the district's size (the page reads it on each request)."""
    config = context_server.app.config
    default = config["TILE_MAP_THRESHOLD"]
    config["TILE_MAP_THRESHOLD"] = 10 if request.param == "tiles" else default
    yield context_server
    config["TILE_MAP_THRESHOLD"] = default


def open_map(page: Page, server: LiveServer, path: str = "/") -> str:
    """Open a page with the basemap blocked; wait for its parcels and context tiles; return
    the map's element selector."""
    response = page.goto(server.url(path))
    assert response.status == 200, f"{response.url}: HTTP {response.status}"
    selector = "#map_parcel" if path.startswith("/parcels/") else "#map_parcels"
    # (both maps set data-parcel-count once their parcels are drawn: the tile map when its
    # visible tiles are in)
    page.wait_for_selector(f"{selector}[data-parcel-count]", state="attached")
    page.wait_for_selector(f"{selector}[data-context-loaded]", state="attached")
    return selector


def visible_paths(page: Page, selector: str) -> dict[str, int]:
    return page.evaluate(VISIBLE_JS, selector)


@pytest.fixture
def blocked(guard):
    """The page guard with basemap tiles aborted, as when the tile server is unreachable."""
    guard.block_basemap = True
    return guard


def parcel_under_context(server: LiveServer):
    """A published parcel that a drawn context feature (a road, the riverside belt...) meets."""
    parcels = {p.id: p for p in server.store.query(ParcelFilter(), limit=None).parcels}
    distances = [(nearest.distance_m, parcel_id)
                 for layer in server.store.context.layers() if layer.kind != "street_boundary"
                 for parcel_id, nearest in server.store.context.nearest(layer.name,
                                                                        list(parcels)).items()]
    distance_m, parcel_id = min(distances)
    assert distance_m == 0, "no context feature meets a parcel"
    return parcels[parcel_id]


def assert_drawn_under_the_parcels(page: Page, selector: str, guard, min_layers: int) -> None:
    """Context paths of at least min_layers layers are drawn, the parcels on top of them
    wherever both lie, and the basemap was asked for but never arrived."""
    drawn = visible_paths(page, selector)
    assert len(drawn) >= min_layers, drawn
    both, parcel_on_top = page.evaluate(STACKING_JS, [selector, 16])
    assert both > 0 and parcel_on_top == both
    assert guard.tiles_aborted, "the basemap was not even asked for"


def test_context_layers_draw_under_the_parcels_without_basemap(page, blocked, server):
    selector = open_map(page, server)
    assert_drawn_under_the_parcels(page, selector, blocked, 5)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_parcel_page_draws_context_under_its_parcel(page, blocked, context_server):
    parcel = parcel_under_context(context_server)
    selector = open_map(page, context_server, f"/parcels/{quote(parcel.code)}")
    assert_drawn_under_the_parcels(page, selector, blocked, 2)


@pytest.mark.parametrize("server", ["embedded"], indirect=True)
def test_context_layer_toggles_off_and_on(page, blocked, server, viewport):
    selector = open_map(page, server)
    before = visible_paths(page, selector)
    name = max(before, key=before.get)
    if viewport == "phone":  # a tap on the control's button opens it
        page.tap(f"{selector} .leaflet-control-layers-toggle")
    else:  # the pointer over it does
        page.hover(f"{selector} .leaflet-control-layers")
    row = page.locator(f"{selector} label:has([data-layer='{name}'])")
    expect(row).to_be_visible()
    expect(row.locator("input")).to_be_checked()
    row.click()
    expect(row.locator("input")).not_to_be_checked()
    hidden = visible_paths(page, selector)
    assert name not in hidden and hidden == {k: v for k, v in before.items() if k != name}
    row.click()
    expect(row.locator("input")).to_be_checked()
    assert visible_paths(page, selector) == before


def open_legend(page: Page, selector: str) -> None:
    if page.get_attribute(f"{selector} .map-legend", "open") is None:
        page.click(f"{selector} .map-legend summary")


@pytest.mark.parametrize("viewport, language", [("phone", "zh"), ("desktop", "en")],
                         indirect=["viewport"])
def test_legend_lists_each_context_layer_by_kind(page, blocked, context_server, language):
    selector = open_map(page, context_server, f"/?lang={language}")
    open_legend(page, selector)
    layers = context_server.store.context.layers()
    expect(page.locator(f"{selector} .legend-context li")).to_have_count(len(layers))
    text = page.locator(f"{selector} .legend-context").inner_text()
    labels = {getattr(CONTEXT_KINDS[layer.kind], f"label_{language}") for layer in layers}
    assert all(label in text for label in labels), text


def named_point(page: Page, server: LiveServer):
    """A named point feature (interchange, station, port) drawn at an unobstructed spot, with
    the page coordinates of it."""
    for layer in server.store.context.layers():
        if layer.family != "point":
            continue
        for feature in server.store.context.features(layer.name).features:
            point = page.evaluate(POINT_JS, ["map_parcels", feature.geometry.y,
                                             feature.geometry.x])
            if feature.name and point:
                return feature, point
    pytest.fail("no named point feature can be reached on the map")


@pytest.mark.parametrize("server, viewport", [("embedded", "phone"), ("tiles", "desktop")],
                         indirect=True)
def test_context_feature_name_shows_as_tooltip(page, blocked, server, viewport):
    """A tap on the phone, the pointer on the desktop (under the tile map's parcel canvas)."""
    open_map(page, server)
    feature, (x, y) = named_point(page, server)
    if viewport == "phone":
        page.touchscreen.tap(x, y)
    else:
        page.mouse.move(x, y)
    expect(page.locator(".landgis-context-tip")).to_contain_text(feature.name)


@pytest.fixture(scope="module")
def hostile_context_server(tmp_path_factory) -> LiveServer:
    """The four-parcel district with one context layer per hostile-corpus string."""
    with serve_file(tmp_path_factory.mktemp("context-hostile"), DATA / "small.geojson") as server:
        add_hostile_layers(server.store)
        yield server


DRAWN_AT_JS = """([x, y, name]) => document.elementsFromPoint(x, y)
  .some(el => el.classList.contains(name))"""
CONTROL_TEXTS_JS = "(selector) => [...document.querySelectorAll(selector)].map(e => e.textContent)"


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_hostile_layer_titles_and_names_show_as_text(page, blocked, hostile_context_server):
    page.add_init_script(RECORD_VIOLATIONS)
    selector = open_map(page, hostile_context_server)
    page.hover(f"{selector} .leaflet-control-layers")
    open_legend(page, selector)
    toggles = page.evaluate(CONTROL_TEXTS_JS, f"{selector} .landgis-ctx-toggle")
    legend = page.evaluate(CONTROL_TEXTS_JS, f"{selector} .legend-context li")
    for text in HOSTILE.values():
        assert any(text[:80] in t for t in toggles) and any(text[:80] in t for t in legend)
    for layer in hostile_context_server.store.context.layers()[:4]:  # script, img, svg...
        feature = hostile_context_server.store.context.features(layer.name).features[0]
        page.evaluate("([lat, lon]) => map_parcels.setView([lat, lon], 19, {animate: false})",
                      [feature.geometry.y, feature.geometry.x])
        box = page.locator(selector).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.wait_for_function(DRAWN_AT_JS, arg=[x, y, f"landgis-ctx-{layer.name}"])
        page.mouse.move(x + 40, y + 40)
        page.mouse.move(x, y)
        expect(page.locator(".landgis-context-tip")).to_contain_text(feature.name[:80])
    state = page.evaluate("() => [typeof window.__pwned, window.__cspViolations || []]")
    assert state == ["undefined", []], "a hostile value ran or the CSP refused something"
