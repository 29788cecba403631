"""Site selection in Chromium at phone and desktop sizes: an investor states requirements with
one distance constraint, gets a ranked list with reasons and the shortlist on the map, and the
shared URL opened in a fresh browser context gives the same list."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import VIEWPORTS, WAIT_TIMEOUT_MS, PageGuard, serve_sample
from tests.selection_layers import add_selection_layers

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def select_server(tmp_path_factory):
    """The sample district with an interchanges and a housing layer, served live."""
    with serve_sample(tmp_path_factory.mktemp("select-browser")) as server:
        add_selection_layers(server.store)
        yield server


def shortlist(page: Page) -> list[tuple[str, list[str]]]:
    """(code, reasons) of each listed parcel, in rank order, once the map shows them."""
    page.wait_for_selector("#map_shortlist[data-shortlist-count]", state="attached")
    return page.eval_on_selector_all(
        "#shortlist .shortlist-item",
        "items => items.map(li => [li.dataset.code,"
        " [...li.querySelectorAll('.reason')].map(r => r.textContent.trim())])")


def state_requirements(page: Page) -> None:
    """Industrial land of 20-80 亩 under 3,000 万元, within 5 km of an interchange."""
    page.select_option("#land_use", ["10"])
    page.fill("input[name=area_min]", "20")
    page.fill("input[name=area_max]", "80")
    page.fill("#budget_max", "3000")
    row = page.locator(".distance-row").first
    row.locator("select[name=d_op]").select_option("near")
    row.locator("input[name=d_m]").fill("5000")
    row.locator("select[name=d_layer]").select_option("interchanges")
    row.locator("select[name=d_kind]").select_option("required")
    page.click("#select-submit")


def test_select_page_ranks_parcels_with_reasons_and_the_url_shares_them(
        page, browser, viewport, select_server):
    page.goto(select_server.url("/select"))
    expect(page.locator("#site-selection-link")).to_be_visible()  # in every page's header
    expect(page.locator("#select-form")).to_be_visible()
    state_requirements(page)
    page.wait_for_url("**/select?*near=interchanges:5000*")
    listed = shortlist(page)
    assert listed, "no parcel listed"
    for _code, reasons in listed:
        assert reasons[0].endswith("亩，要求 20–80 亩"), reasons
        assert "低于预算" in reasons[1] and "（要求 5 km 以内）" in reasons[2], reasons
    expect(page.locator("#map_shortlist .rank-label")).to_have_count(len(listed))
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page is {widths[0]} px wide in a {widths[1]} px window"

    shared = page.url
    context = browser.new_context(locale="zh-CN", **VIEWPORTS[viewport])
    context.set_default_timeout(WAIT_TIMEOUT_MS)
    guard = PageGuard()
    context.route("**/*", guard.route)
    try:
        fresh = context.new_page()
        fresh.on("pageerror", guard.on_page_error)
        fresh.goto(shared)
        assert shortlist(fresh) == listed
    finally:
        context.close()
    assert guard.errors == [] and guard.external_requests == []
