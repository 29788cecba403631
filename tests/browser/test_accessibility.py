"""Accessibility in Chromium: axe-core finds no serious or critical violation on the public and
staff pages, every page has an <h1> and a skip link, the map's zoom button is a few Tab presses
from the top, and the map's buttons are 44 px touch targets on phones.

axe-core comes from npm (package.json; `make install-test` runs `npm ci`): the tests inject
node_modules/axe-core/axe.min.js with Playwright, the app never serves it. Its pages run in
contexts that bypass the CSP, which would block the injected script (the CSP itself is tested
elsewhere)."""

from collections.abc import Callable, Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    INTERACTIVE,
    REPO_ROOT,
    SCREENSHOT_DIR,
    SMALL_TARGETS_JS,
    VIEWPORTS,
    WAIT_TIMEOUT_MS,
    LiveServer,
    PageGuard,
    serve_sample,
)
from tests.editing_fixtures import PASSWORD, ROLE_USERS, add_staff
from webapp.domain.filters import ParcelFilter

pytestmark = pytest.mark.browser

AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
MAX_TAB_STOPS_TO_ZOOM = 10
PHONE_TARGET_PX = 44  # WCAG 2.5.5 (AAA) and Apple's/Google's touch guidance, for map buttons
ZOOM_IN = ".leaflet-control-zoom-in"
# The map's buttons; the attribution's links are text in a sentence (exempt from target sizes).
MAP_CONTROLS = ".leaflet-control-container"
MAP_CONTROLS_EXEMPT = ".leaflet-control-attribution, .leaflet-control-scale"


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Iterator[dict[str, LiveServer]]:
    """The sample district twice, with staff accounts: "embedded" (one Folium GeoJSON) and
    "tiles" (vector tiles: the threshold is below the district's size)."""
    with (serve_sample(tmp_path_factory.mktemp("a11y-embedded")) as embedded,
          serve_sample(tmp_path_factory.mktemp("a11y-tiles"), TILE_MAP_THRESHOLD=10) as tiles):
        add_staff(embedded.app)
        yield {"embedded": embedded, "tiles": tiles}


@pytest.fixture(scope="module")
def staff_state(browser, servers) -> dict:
    """The cookies of an admin logged in on the embedded server (one login per module)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(servers["embedded"].url("/auth/login"))
    page.fill("#name", ROLE_USERS["admin"])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def open_page(browser, viewport, request) -> Iterator[Callable[..., Page]]:
    """open_page(url, staff=None): a guarded page at the viewport, CSP bypassed for axe; its
    screenshot is saved and console errors or requests leaving the machine fail the test."""
    guard, contexts = PageGuard(), []

    def open_page(url: str, staff: dict | None = None) -> Page:
        context = browser.new_context(locale="zh-CN", bypass_csp=True, storage_state=staff,
                                      **VIEWPORTS[viewport])
        context.set_default_timeout(WAIT_TIMEOUT_MS)
        context.route("**/*", guard.route)
        contexts.append(context)
        page = context.new_page()
        page.on("console", guard.on_console)
        page.on("pageerror", guard.on_page_error)
        response = page.goto(url, wait_until="domcontentloaded")
        assert response.status == 200, f"{response.url}: HTTP {response.status}"
        if page.locator(".folium-map").count():  # the map's script has run when it has a layer
            page.wait_for_selector(".folium-map[data-parcel-count]", state="attached")
        return page

    yield open_page
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for context in contexts:
        for page in context.pages:
            page.screenshot(path=SCREENSHOT_DIR / f"{request.node.name}.png".replace("/", "_"))
        context.close()
    assert guard.external_requests == [], "requests left the machine"
    assert guard.errors == [], "console errors or page errors"


def axe_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each. The maps' parcel
    shapes (SVG paths and canvas tiles without text) are left out: hundreds of them take axe
    seconds and hold nothing it checks; the map's controls, legend and popups are checked."""
    assert AXE_JS.is_file(), f"{AXE_JS} is missing: run `make install-test` (npm ci)"
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("""() => axe.run(
        { exclude: [[".leaflet-overlay-pane"], [".leaflet-tile-pane"]] },
        { resultTypes: ["violations"] })""")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:5]]}"
            for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]


def some_parcel(server: LiveServer):
    """A published parcel of the server's district."""
    return server.store.query(ParcelFilter(), limit=1).parcels[0]


PUBLIC_PAGES = {
    "map": lambda s: "/",
    "parcel": lambda s: "/parcels/" + quote(some_parcel(s).code),
    "login": lambda s: "/auth/login",
    "enquire": lambda s: "/enquire?parcel=" + quote(some_parcel(s).code),
    "select": lambda s: "/select",
}
STAFF_PAGES = {
    "edit": lambda s: f"/admin/parcels/{some_parcel(s).id}/edit",
    "import": lambda s: "/imports/",
    "admin-parcels": lambda s: "/admin/parcels",
    "admin-users": lambda s: "/admin/users",
    "admin-projects": lambda s: "/admin/projects",
}


# The maps at both sizes; other pages on a phone, where tables scroll and the layout is tightest.
@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
@pytest.mark.parametrize("name", [n for n in PUBLIC_PAGES if n != "map"])
def test_public_page_has_no_serious_axe_violations(open_page, servers, name):
    server = servers["embedded"]
    page = open_page(server.url(PUBLIC_PAGES[name](server)))
    assert axe_violations(page) == []
    expect(page.locator("h1")).to_have_count(1)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_page_has_no_serious_axe_violations(open_page, servers, staff_state, name):
    server = servers["embedded"]
    page = open_page(server.url(STAFF_PAGES[name](server)), staff=staff_state)
    assert axe_violations(page) == []
    expect(page.locator("h1")).to_have_count(1)


@pytest.mark.parametrize("kind", ["embedded", "tiles"])
def test_map_page_has_no_serious_axe_violations(open_page, servers, kind):
    page = open_page(servers[kind].url("/"))
    assert axe_violations(page) == []
    expect(page.locator("h1")).to_have_count(1)


def tab_stops_until(page: Page, selector: str, limit: int) -> int | None:
    """How many Tab presses from the top of the page focus the element, None past limit."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    return None


@pytest.mark.parametrize("kind", ["embedded", "tiles"])
def test_map_zoom_control_is_within_ten_tab_stops(open_page, servers, kind):
    page = open_page(servers[kind].url("/"))
    page.wait_for_selector(ZOOM_IN)
    presses = tab_stops_until(page, ZOOM_IN, MAX_TAB_STOPS_TO_ZOOM)
    assert presses is not None, f"zoom-in not focused within {MAX_TAB_STOPS_TO_ZOOM} Tab presses"
    expect(page.locator(ZOOM_IN)).to_have_attribute("aria-label", "放大")


def test_skip_link_is_first_and_moves_focus_to_main(open_page, servers):
    page = open_page(servers["embedded"].url("/"))
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
@pytest.mark.parametrize("kind", ["embedded", "tiles"])
def test_map_buttons_are_44px_touch_targets_on_phone(open_page, servers, kind):
    page = open_page(servers[kind].url("/"))
    page.wait_for_selector(ZOOM_IN)
    small = page.evaluate(SMALL_TARGETS_JS, [MAP_CONTROLS, INTERACTIVE, MAP_CONTROLS_EXEMPT,
                                             PHONE_TARGET_PX])
    assert small == []
    assert page.locator(f"{MAP_CONTROLS} a[role=button]").count() >= 4  # zoom ×2, full, locate
