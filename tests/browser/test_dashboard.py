"""The dashboard in Chromium at phone and desktop sizes: figures equal to the store's, charts
drawn, no horizontal scroll, large enough targets, reached from the map page's header."""

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from webapp.domain.filters import ParcelFilter
from webapp.domain.units import m2_to_mu

pytestmark = pytest.mark.browser


def open_dashboard(page: Page, live_server, query: str = "") -> None:
    response = page.goto(live_server.url("/dashboard" + query))
    assert response.status == 200, f"{response.url}: HTTP {response.status}"


def status_areas(live_server) -> dict[str, str]:
    """Area in 亩 by status of the published parcels, as the page writes it (pandas)."""
    parcels = live_server.store.query(ParcelFilter(), limit=None, with_geometry=False).parcels
    frame = pd.DataFrame({"status": [p.status for p in parcels],
                          "area_m2": [p.area_m2 for p in parcels]})
    return {status: f"{m2_to_mu(area):,.2f}"
            for status, area in frame.groupby("status")["area_m2"].sum().items()}


def test_dashboard_status_areas_equal_the_store(page, live_server):
    open_dashboard(page, live_server)
    expected = status_areas(live_server)
    rows = page.locator("#by-status tbody tr")
    expect(rows).to_have_count(len(expected))
    shown = {row.get_attribute("data-key"): row.locator("td.num").first.inner_text()
             for row in rows.all()}
    assert shown == expected


def test_dashboard_charts_are_drawn(page, live_server):
    open_dashboard(page, live_server)
    charts = page.locator("img.chart")
    expect(charts).to_have_count(4)
    for chart in charts.all():
        chart.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete", arg=chart.element_handle())
        assert chart.evaluate("img => img.naturalWidth") > 0, chart.get_attribute("src")


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_dashboard_fits_a_phone(page, live_server, small_targets):
    open_dashboard(page, live_server, "?lang=en")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page is {widths[0]} px wide in a {widths[1]} px window"
    page.locator(".dashboard-filters summary").click()
    # Links inside table cells and sentences are inline targets (WCAG 2.5.8 exempts them).
    assert small_targets(page, ".dashboard", "td, th, p") == ""


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_dashboard_linked_from_the_map_header(page, live_server):
    page.goto(live_server.url("/"))
    page.locator("#dashboard-link").click()
    expect(page.locator("h1")).to_have_text("土地供应看板")
