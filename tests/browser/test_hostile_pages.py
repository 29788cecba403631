"""The hostile district in Chromium: every corpus text shows as text and nothing runs.

Live servers on the hostile district (tests/hostile.py), embedded map and tile map. Each test
opens a page, hovers a parcel for its tooltip, clicks it for its popup, uses the result list,
the legend, the parcel page and an editor's edit form, then checks that no dialog opened,
window.__pwned is undefined, no CSP violation was reported and the text is on the page. The
`page` fixture also fails on any console error (Chromium logs CSP refusals there).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, serve_file
from tests.editing_fixtures import PASSWORD, ROLE_USERS, add_staff
from tests.hostile import HOSTILE, hostile_items, write_hostile_district

pytestmark = pytest.mark.browser

KEYS = list(HOSTILE)
MAP = "#map_parcels"
# Records CSP violations before any page script runs (a violation is not a page error).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
FIT_JS = """([map, south, west, north, east]) => {
  window[map].fitBounds([[south, west], [north, east]], { animate: false, maxZoom: 17,
                                                          padding: [40, 40] });
}"""
# The page point of a lat/lon when a parcel shape (SVG path or vector tile canvas) is the
# topmost element there (not a control or the legend), else null.
PARCEL_POINT_JS = """([map, lat, lon]) => {
  const m = window[map];
  const point = m.latLngToContainerPoint([lat, lon]);
  const box = m.getContainer().getBoundingClientRect();
  const x = box.left + point.x, y = box.top + point.y;
  const hit = document.elementFromPoint(x, y);
  return hit && hit.closest(".leaflet-interactive, .landgis-parcel-tiles") ? [x, y] : null;
}"""


def parcel_id(key: str) -> int:
    """Store id of the corpus parcel (imported in corpus order)."""
    return KEYS.index(key) + 1


def code_of(key: str) -> str:
    """The parcel code tests.hostile gives the corpus text (H-nn plus at most 200 characters)."""
    return f"H-{KEYS.index(key):02d} {HOSTILE[key][:200]}"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory) -> LiveServer:
    """The hostile district with the embedded map, staff accounts included."""
    folder = tmp_path_factory.mktemp("hostile-browser")
    with serve_file(folder / "app", write_hostile_district(folder)) as server:
        add_staff(server.app)
        yield server


@pytest.fixture(scope="module")
def hostile_tile_server(tmp_path_factory) -> LiveServer:
    """The hostile district with the vector-tile map (TILE_MAP_THRESHOLD 0)."""
    folder = tmp_path_factory.mktemp("hostile-tiles")
    with serve_file(folder / "app", write_hostile_district(folder),
                    TILE_MAP_THRESHOLD=0) as server:
        yield server


@pytest.fixture
def watched(page: Page) -> Page:
    """The guarded page, also recording dialogs and CSP violations; checked at the end."""
    dialogs: list[str] = []
    csp_messages: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: csp_messages.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page
    state = page.evaluate("() => [typeof window.__pwned, window.__cspViolations || []]")
    assert state == ["undefined", []], "a hostile value ran or the CSP refused something"
    assert dialogs == [] and csp_messages == []


def text_of(page: Page, selector: str) -> str:
    """The textContent of the first element matching selector."""
    return page.locator(selector).first.evaluate("element => element.textContent")


def parcel_point(page: Page, server: LiveServer, key: str) -> list[float]:
    """Fit the map to the corpus parcel; the page point of its centre once it is drawn."""
    parcel = server.store.get(parcel_id(key), include_drafts=True)
    west, south, east, north = parcel.geometry.bounds
    page.evaluate(FIT_JS, ["map_parcels", south, west, north, east])
    centre = [(south + north) / 2, (west + east) / 2]
    return page.wait_for_function(PARCEL_POINT_JS, arg=["map_parcels", *centre]).json_value()


def open_map(page: Page, server: LiveServer, ready: str) -> None:
    response = page.goto(server.url("/"))
    assert response.status == 200
    page.wait_for_selector(ready, state="attached")


# Waits until an element matching the selector has textContent containing the text.
SHOWS_TEXT_JS = """([selector, text]) => Array.from(document.querySelectorAll(selector))
  .some(element => element.textContent.includes(text))"""


def check_tooltip_and_popup(page: Page, server: LiveServer, key: str) -> None:
    """Hover the corpus parcel for its tooltip, click it for its popup; both show its text."""
    point = parcel_point(page, server, key)
    page.mouse.move(*point)
    page.wait_for_function(SHOWS_TEXT_JS, arg=[f"{MAP} .leaflet-tooltip", code_of(key)])
    page.mouse.click(*point)
    popup = f"{MAP} .leaflet-popup-content"
    page.wait_for_function(SHOWS_TEXT_JS, arg=[popup, HOSTILE[key]])
    href = page.get_attribute(f"{popup} a.popup-link", "href")
    assert re.fullmatch(r"/parcels/[A-Za-z0-9%._~!*'()-]+", href), (key, href)
    page.evaluate("() => { map_parcels.closePopup(); }")


# One page load per viewport walks the whole corpus (a page per text would take minutes).
def test_hostile_map_tooltip_popup_and_list_show_text(watched, hostile_server):
    page = watched
    open_map(page, hostile_server, f"{MAP}[data-parcel-count]")
    for key, text in hostile_items():
        item = page.locator(f"#result-list button[data-parcel-id='{parcel_id(key)}']")
        assert text in item.evaluate("element => element.textContent"), key
        check_tooltip_and_popup(page, hostile_server, key)


def test_hostile_tile_map_tooltip_popup_and_list_show_text(watched, hostile_tile_server):
    page = watched
    open_map(page, hostile_tile_server, "#result-summary[data-count]")
    for key, text in hostile_items():
        item = page.locator(f"#result-list button[data-parcel-id='{parcel_id(key)}']")
        assert text in item.evaluate("element => element.textContent"), key
        check_tooltip_and_popup(page, hostile_tile_server, key)


@pytest.mark.parametrize("key", ["script_close", "img_onerror", "jinja_expression"])
def test_hostile_map_list_opens_popup_and_legend_opens(watched, hostile_server, key):
    page = watched
    open_map(page, hostile_server, f"{MAP}[data-parcel-count]")
    page.locator(f"#result-list button[data-parcel-id='{parcel_id(key)}']").click()
    expect(page.locator(f"{MAP} .leaflet-popup-content")).to_contain_text(HOSTILE[key][:40])
    legend = page.locator(f"{MAP} .map-legend")
    if legend.get_attribute("open") is None:
        legend.locator("summary").click()
    expect(legend.locator("li").first).to_be_visible()


@pytest.mark.parametrize("key", ["script_close", "img_onerror", "jinja_statement",
                                 "line_separators", "long_text"])
def test_hostile_parcel_page_shows_text(watched, hostile_server, key):
    page = watched
    assert page.goto(hostile_server.url(f"/parcels/{parcel_id(key)}")).status == 200
    page.wait_for_selector("#map_parcel[data-parcel-count='1']", state="attached")
    assert HOSTILE[key] in text_of(page, ".parcel-facts")
    assert code_of(key) in text_of(page, "h1")


@pytest.mark.parametrize("key", ["script_close", "img_onerror", "attribute_break",
                                 "single_quote_break", "jinja_expression", "line_separators"])
def test_hostile_edit_form_shows_values_as_text(watched, hostile_server, key):
    page = watched
    page.goto(hostile_server.url(f"/auth/login?next=/admin/parcels/{parcel_id(key)}/edit"))
    page.fill("#name", ROLE_USERS["editor"])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    expect(page.locator("#f-name")).to_be_visible()
    expected = HOSTILE[key].replace("\u2028", "\n").replace("\u2029", "\n")
    assert page.input_value("#f-name") in (HOSTILE[key], expected)
    assert page.input_value("#f-note") == HOSTILE[key]
    page.goto(hostile_server.url(f"/parcels/{parcel_id(key)}"))
    expect(page.locator("#staff-panel")).to_be_visible()
