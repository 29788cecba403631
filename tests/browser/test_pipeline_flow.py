"""From "I'm interested" to signed, in Chromium: an investor on a phone sends an enquiry from a
parcel page and gets a reference; an editor on a desktop finds it in the inbox, makes it a
project, moves it to negotiating and confirms the parcel status (the public parcel page and map
show 洽谈中), then to signed (已出让); the project's history shows every step, and a stale second
edit from another window gets the conflict page. Own writable server on a copy of the sample
district; screenshots of each step go to test-artifacts/screenshots."""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    FULL_PAGE_MAX_HEIGHT_PX,
    MAP_ANIMATING,
    SCREENSHOT_DIR,
    VIEWPORTS,
    WAIT_TIMEOUT_MS,
    PageGuard,
    serve_sample,
)
from tests.editing_fixtures import PASSWORD, ROLE_USERS, add_staff
from webapp.domain.audit import ChangeFilter
from webapp.domain.filters import ParcelFilter

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"ZS-\d{8}-[A-HJ-NP-Z2-9]{6}")
COMPANY = "示例浏览器测试智能装备有限公司"
# Chromium logs every 4xx page load as a console error: the conflict page is answered 409.
EXPECTED_CONSOLE = re.compile(r"status of 409 \(CONFLICT\) \(http://127\.0\.0\.1:\d+/admin/"
                              r"projects/\d+/edit\)$")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A writable app on a copy of the sample district, with a viewer, an editor and an admin."""
    with serve_sample(tmp_path_factory.mktemp("pipeline-flow")) as live:
        add_staff(live.app)
        yield live


@pytest.fixture
def open_page(browser, request) -> Iterator[Callable[[str], Page]]:
    """open_page(viewport): a page in a fresh guarded context ("phone" or "desktop"); console
    errors, page errors and requests leaving the machine fail the test at the end."""
    guards, contexts = [], []

    def open_page(viewport: str) -> Page:
        guard, context = PageGuard(), browser.new_context(locale="zh-CN", **VIEWPORTS[viewport])
        context.set_default_timeout(WAIT_TIMEOUT_MS)
        context.route("**/*", guard.route)
        page = context.new_page()
        page.on("console", guard.on_console)
        page.on("pageerror", guard.on_page_error)
        guards.append(guard)
        contexts.append(context)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert [e for g in guards for e in g.external_requests] == [], "requests left the machine"
    errors = [e for g in guards for e in g.errors if not EXPECTED_CONSOLE.search(e)]
    assert errors == [], "console errors or page errors"


def shoot(page: Page, step: str, viewport: str) -> None:
    """A screenshot of one step, test_pipeline_flow-<step>-<viewport>.png: the whole page, or
    the viewport of a long one (the phone map page's list), once the map stands still."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.wait_for_function("s => !document.querySelector(s)", arg=MAP_ANIMATING)
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=SCREENSHOT_DIR / f"test_pipeline_flow-{step}-{viewport}.png",
                    full_page=height <= FULL_PAGE_MAX_HEIGHT_PX)


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def available_parcel(store):
    """A published, available industrial parcel of the sample district."""
    parcels = store.query(ParcelFilter(statuses=("available",)), with_geometry=False).parcels
    return next(p for p in parcels if p.land_use.startswith("1001"))


def log_in(page: Page, base: str, next_path: str) -> None:
    page.goto(f"{base}/auth/login?next={next_path}")
    page.fill("#name", ROLE_USERS["editor"])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


@contextmanager
def navigation(page: Page):
    with page.expect_navigation():
        yield


def send_enquiry(page: Page, base: str, key: str) -> str:
    """On the parcel page: I'm interested → fill the form → send; the reference shown."""
    page.goto(f"{base}/parcels/{key}")
    shoot(page, "1-parcel-page", "phone")
    with navigation(page):
        page.click("#enquire-button")
    page.fill("#f-company", COMPANY)
    page.fill("#f-contact_name", "测试先生")
    page.fill("#f-phone", "138 0000 0001")
    page.select_option("#f-industry", "intelligent_equipment")
    page.fill("#f-investment_wan", "12000")
    page.fill("#f-jobs", "150")
    page.fill("#f-message", "计划建设智能装备生产基地，请介绍地块规划条件。")
    page.check("#f-consent")
    assert no_horizontal_scroll(page)
    shoot(page, "2-enquiry-form", "phone")
    with navigation(page):
        page.click("#enquiry-form button[type=submit]")
    expect(page.locator("#reference")).to_have_text(REFERENCE)
    shoot(page, "3-enquiry-sent", "phone")
    return page.locator("#reference").inner_text().strip()


def change_stage(page: Page, base: str, project_id: int, stage: str) -> None:
    """Edit the project's stage and save; the parcel status page follows."""
    page.goto(f"{base}/admin/projects/{project_id}/edit")
    page.select_option("#f-stage", stage)
    with navigation(page):
        page.click("#save")
    expect(page).to_have_url(f"{base}/admin/projects/{project_id}/parcel-status")


def confirm_parcel_status(page: Page, parcel_id: int, step: str) -> None:
    """Tick the parcel's proposal and apply it; back on the project page."""
    page.check(f"#parcel-{parcel_id}")
    shoot(page, step, "desktop")
    with navigation(page):
        page.click("#apply-status")
    expect(page.locator("#project-name")).to_be_visible()


def public_status(page: Page, base: str, key: str) -> str:
    page.goto(f"{base}/parcels/{key}")
    return page.locator("body").inner_text()


def map_popup(page: Page, base: str, parcel_id: int) -> str:
    """The public map's popup of a parcel, opened from the result list."""
    page.goto(f"{base}/")
    page.wait_for_selector("#map_parcels[data-parcel-count]", state="attached")
    page.click(f"#result-list button[data-parcel-id='{parcel_id}']")
    popup = page.locator("#map_parcels .leaflet-popup-content")
    expect(popup).to_be_visible()
    return popup.inner_text()


def test_enquiry_becomes_a_signed_project(server, open_page):
    base, store = server.base_url, server.store
    parcel = available_parcel(store)
    investor = open_page("phone")
    reference = send_enquiry(investor, base, parcel.code)

    editor = open_page("desktop")
    log_in(editor, base, "/admin/enquiries")
    row = editor.locator("#enquiries tr", has_text=reference)
    expect(row).to_contain_text(COMPANY)
    expect(row).to_contain_text(parcel.code)
    shoot(editor, "4-inbox", "desktop")
    with navigation(editor):
        row.locator("a", has_text=reference).click()
    expect(editor.locator("#e-company")).to_have_text(COMPANY)
    with navigation(editor):
        editor.click("#make-project")
    project_id = int(re.search(r"/admin/projects/(\d+)", editor.url).group(1))
    shoot(editor, "5-project-lead", "desktop")

    change_stage(editor, base, project_id, "negotiating")
    confirm_parcel_status(editor, parcel.id, "6-parcel-status-negotiating")
    visitor = open_page("phone")
    assert "洽谈中" in public_status(visitor, base, parcel.code)
    shoot(visitor, "7-parcel-negotiating", "phone")
    assert "洽谈中" in map_popup(visitor, base, parcel.id)
    shoot(visitor, "7-map-negotiating", "phone")
    assert store.get(parcel.id).status == "negotiating"

    change_stage(editor, base, project_id, "signed")
    confirm_parcel_status(editor, parcel.id, "8-parcel-status-signed")
    assert "已出让" in public_status(visitor, base, parcel.code)

    editor.goto(f"{base}/admin/projects/{project_id}")
    history = editor.locator("#project-history tbody tr")
    expect(editor.locator("#project-history tr[data-field='created']")).to_have_count(1)
    stages = editor.locator("#project-history tr[data-field='stage']")
    expect(stages).to_have_count(2)
    assert history.count() >= 3
    shoot(editor, "9-project-signed-history", "desktop")
    parcel_trail = store.changes(ChangeFilter(parcel_id=parcel.id)).changes
    assert [c.new_value for c in parcel_trail if c.field == "status"][:2] == ["sold",
                                                                              "negotiating"]
    assert {c.source for c in parcel_trail if c.field == "status"} == {"project"}


def test_stale_project_edit_gets_the_conflict_page(server, open_page):
    base, store = server.base_url, server.store
    project = store.pipeline.add_project({"name": "示例冲突测试项目", "stage": "lead"}, "eddie")
    stale = open_page("desktop")
    log_in(stale, base, f"/admin/projects/{project.id}/edit")
    expect(stale.locator("#f-stage")).to_be_visible()
    fresh = open_page("desktop")
    log_in(fresh, base, f"/admin/projects/{project.id}/edit")
    fresh.fill("#f-next_action", "约谈企业")
    with navigation(fresh):
        fresh.click("#save")
    stale.fill("#f-next_action", "发送地块资料")
    with navigation(stale):
        stale.click("#save")
    expect(stale.locator("#conflict-title")).to_be_visible()
    row = stale.locator("#conflict-table tr[data-field='next_action']")
    expect(row.locator(".their-change")).to_contain_text("约谈企业")
    expect(stale.locator("#f-next_action")).to_have_value("发送地块资料")
    shoot(stale, "10-conflict", "desktop")
    assert store.pipeline.project(project.id).next_action == "约谈企业"  # nothing overwritten
