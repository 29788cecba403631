"""The map page in Chromium at phone and desktop sizes: parcels, filters, list, language."""

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import WAIT_TIMEOUT_MS, popup_clear_of_controls
from webapp.domain.filters import ParcelFilter

pytestmark = pytest.mark.browser


def store_count(live_server, **filter_fields) -> int:
    """How many published parcels the store holds for a filter."""
    return live_server.store.query(ParcelFilter(**filter_fields), limit=None).number_matched


def open_map(page: Page, live_server, query: str = "") -> None:
    """Open the map page and wait until the parcel layer is on the map."""
    response = page.goto(live_server.url("/" + (f"?{query}" if query else "")))
    assert response.status == 200, f"{response.url}: HTTP {response.status}"
    page.wait_for_selector("#map_parcels[data-parcel-count]", state="attached")


def drawn_counts(page: Page) -> tuple[int, int, int]:
    """(data-parcel-count, SVG parcel paths, #result-summary data-count) of the current page."""
    return (int(page.get_attribute("#map_parcels", "data-parcel-count")),
            page.locator("#map_parcels path.leaflet-interactive").count(),
            int(page.get_attribute("#result-summary", "data-count")))


def open_filters(page: Page) -> None:
    """Expand the filter panel when it is collapsed (always on phones without a filter)."""
    if page.get_attribute("#filters", "open") is None:
        page.click("#filters > summary")
    expect(page.locator("#filter-form")).to_be_visible()


def expected_checked(values: list[str], chosen: tuple[str, ...]) -> list[str]:
    """Checkbox values that should be ticked for chosen land-use codes (parents tick children)."""
    return [v for v in values if any(v.startswith(code) for code in chosen)]


def test_map_page_draws_every_parcel(page, live_server):
    open_map(page, live_server)
    total = store_count(live_server)
    assert total > 0
    assert drawn_counts(page) == (total, total, total)


def test_map_page_loads_basemap_tiles_from_configured_host(page, guard, live_server):
    open_map(page, live_server)
    page.wait_for_selector("#map_parcels img.leaflet-tile-loaded", state="attached")
    assert guard.tiles_served


def test_land_use_filter_draws_only_chosen_land_use(page, live_server):
    code = live_server.store.landuse_breakdown()[0].land_use
    expected = store_count(live_server, land_uses=(code,))
    assert 0 < expected < store_count(live_server)
    open_map(page, live_server)
    open_filters(page)
    box = page.locator(f"#filter-form input[name=land_use][value='{code}']")
    box.locator("xpath=ancestor::details[1]/summary").click()  # the class's sub-classes
    box.click()  # applied in place (tests/browser/test_filters_in_place.py: no reload)
    expect(page.locator("#result-summary")).to_have_attribute("data-count", str(expected),
                                                              timeout=WAIT_TIMEOUT_MS)
    expect(page).to_have_url(re.compile(rf"[?&]land_use={code}(&|$)"))
    assert drawn_counts(page) == (expected, expected, expected)


SHARED_FILTERS = {
    "parent-code-and-status": {"land_uses": ("1001",), "statuses": ("available",)},
    "code-and-street": {"land_uses": ("110101",), "streets": ("金家庄街道",)},
}


@pytest.mark.parametrize("fields", SHARED_FILTERS.values(), ids=SHARED_FILTERS.keys())
def test_shared_filter_url_restores_view(page, live_server, fields):
    query = urlencode([("land_use", c) for c in fields["land_uses"]]
                      + [("status", s) for s in fields.get("statuses", ())]
                      + [("street", s) for s in fields.get("streets", ())])
    expected = store_count(live_server, **fields)
    assert expected > 0
    open_map(page, live_server, query)
    expect(page.locator("#filters")).to_have_attribute("open", "")
    land_uses = page.locator("input[name=land_use]")
    all_codes = land_uses.evaluate_all("els => els.map(e => e.value)")
    checked = page.locator("input[name=land_use]:checked").evaluate_all(
        "els => els.map(e => e.value)")
    assert checked == expected_checked(all_codes, fields["land_uses"])
    statuses = page.locator("input[name=status]:checked").evaluate_all(
        "els => els.map(e => e.value)")
    assert statuses == list(fields.get("statuses", ()))
    expect(page.locator("select[name=street]")).to_have_value(
        (fields.get("streets") or ("",))[0])
    assert drawn_counts(page) == (expected, expected, expected)


def test_result_list_item_opens_parcel_popup(page, live_server):
    parcel = live_server.store.query(ParcelFilter(), limit=None).parcels[9]
    open_map(page, live_server)
    page.click(f"#result-list button[data-parcel-id='{parcel.id}']")
    popup = page.locator("#map_parcels .leaflet-popup-content")
    expect(popup).to_contain_text(parcel.code)
    expect(popup).to_be_in_viewport(ratio=1)
    assert popup_clear_of_controls(page)  # the zoom buttons covered its labels on phones


def test_language_switch_changes_ui_to_english(page, live_server):
    open_map(page, live_server)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    with page.expect_navigation():
        page.click("a[data-lang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#result-summary")).to_have_text(
        re.compile(rf"^\s*{store_count(live_server)} parcels, [\d,]+\.\d\d mu in total\s*$"))


def test_language_choice_is_remembered_without_lang_parameter(page, live_server):
    open_map(page, live_server, "lang=en")
    open_map(page, live_server)
    assert "lang=" not in page.url
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#filters > summary")).to_contain_text("Filter parcels")


def test_map_page_draws_parcels_without_basemap(page, guard, live_server):
    guard.block_basemap = True
    open_map(page, live_server)
    total = store_count(live_server)
    assert drawn_counts(page) == (total, total, total)
    assert guard.tiles_aborted, "the basemap was never requested, so nothing was tested"


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
@pytest.mark.parametrize("query", ["", "land_use=1001"], ids=["all", "filtered"])
def test_map_page_has_no_horizontal_scroll_on_phone(page, live_server, query):
    open_map(page, live_server, query)
    open_filters(page)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page is {widths[0]} px wide in a {widths[1]} px window"


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_map_page_sidebar_targets_are_large_enough_on_phone(page, live_server, small_targets):
    open_map(page, live_server)
    open_filters(page)
    small = small_targets(page, ".site-header, .sidebar")
    assert small == "", f"targets under 24×24 CSS px:\n{small}"
