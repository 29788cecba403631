"""An editor on a phone: logs in, changes a parcel's status, the public map shows it; a stale
second edit gets the conflict page. Own fixtures (a writable live server with accounts, a phone
context); tests/browser/conftest.py's shared live server is read-only."""

import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import DATA, make_app
from tests.editing_fixtures import PASSWORD, ROLE_USERS, add_staff

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
LOOPBACK = {"127.0.0.1", "localhost"}


def require_chromium() -> None:
    """Skip without Chromium, but fail when CI is set (CI must not skip silently)."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing and CI is set")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")


@pytest.fixture
def editing_server(tmp_path):
    """A writable app with accounts on the four-parcel district, served by waitress."""
    import waitress

    app = make_app(tmp_path, DATA / "small.geojson", BASEMAP_URL="")
    add_staff(app)
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, name="waitress-editing", daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture
def chromium(browser):
    """The session's system Chromium (tests/browser/conftest.py): a second Playwright in the
    same process would fail while the session's one runs."""
    require_chromium()
    return browser


@pytest.fixture
def phone(chromium, request):
    """new_phone(): a fresh phone context's page; loopback only, page errors fail the test."""
    contexts, problems = [], []

    def route(route):
        if urlsplit(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            problems.append(f"external request: {route.request.url}")
            route.abort("blockedbyclient")

    def new_phone() -> Page:
        context = chromium.new_context(locale="zh-CN", **PHONE)
        context.route("**/*", route)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
        return page

    yield new_phone
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for number, context in enumerate(contexts):
        for index, page in enumerate(context.pages):
            page.screenshot(path=SCREENSHOTS / f"{request.node.name}-{number}-{index}-phone.png")
        context.close()
    assert problems == []


def log_in(page: Page, base: str, next_path: str) -> None:
    page.goto(f"{base}/auth/login?next={next_path}")
    page.fill("#name", ROLE_USERS["editor"])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def open_edit_form(page: Page, base: str, parcel_id: int) -> None:
    page.goto(f"{base}/admin/parcels/{parcel_id}/edit")
    expect(page.locator("#f-status")).to_be_visible()


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_editor_on_phone_changes_status_and_public_map_shows_it(editing_server, phone):
    app, base = editing_server
    parcel = app.extensions["landgis.store"].get("T-001")
    editor = phone()
    log_in(editor, base, "/parcels/T-001")
    expect(editor).to_have_url(f"{base}/parcels/T-001")
    editor.click("#edit-parcel")
    expect(editor.locator("#f-status")).to_be_visible()
    assert no_horizontal_scroll(editor)
    editor.select_option("#f-status", "sold")
    with editor.expect_navigation():
        editor.click("#save")
    expect(editor.locator(".flashes")).to_contain_text("T-001")
    visitor = phone()
    visitor.goto(base + "/")
    visitor.wait_for_selector("#map_parcels[data-parcel-count]", state="attached")
    item = visitor.locator(f"#result-list button[data-parcel-id='{parcel.id}']")
    expect(item.locator(".status")).to_have_text("已出让")
    item.click()
    expect(visitor.locator("#map_parcels .leaflet-popup-content")).to_contain_text("已出让")


def test_editor_on_phone_stale_edit_sees_conflict_page(editing_server, phone):
    app, base = editing_server
    parcel_id = app.extensions["landgis.store"].get("T-001").id
    stale = phone()
    log_in(stale, base, f"/admin/parcels/{parcel_id}/edit")
    open_edit_form(stale, base, parcel_id)
    fresh = stale.context.new_page()
    open_edit_form(fresh, base, parcel_id)
    fresh.fill("#f-price_start_wan", "1234")
    with fresh.expect_navigation():
        fresh.click("#save")
    stale.fill("#f-note", "我的备注")
    stale.click("#save")
    expect(stale.locator("#conflict-title")).to_be_visible()
    row = stale.locator("#conflict-table tr[data-field='price_start_wan']")
    expect(row.locator(".their-change")).to_contain_text("1,234")
    expect(row.locator(".their-change")).to_contain_text(ROLE_USERS["editor"])
    expect(stale.locator("#f-note")).to_have_value("我的备注")
    expect(stale.locator("#f-price_start_wan")).to_have_value("1234")
    assert no_horizontal_scroll(stale)
    assert app.extensions["landgis.store"].get("T-001").note is None  # nothing overwritten
    assert re.search(r"/admin/parcels/\d+/edit", stale.url)
