"""Browser test fixtures: a live server on the bundled sample, system Chromium, and page guards.

Every page runs offline: loopback requests go through, basemap tiles get a tiny local PNG, and
anything else is aborted and recorded. Console errors and page errors are recorded too; the
`page` fixture saves a screenshot and fails the test if either list is not empty.
"""

import os
import re
import struct
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the test machine runs as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BASEMAP_URL = "https://tiles.example.test/{z}/{x}/{y}.png"
BASEMAP_HOST = urlsplit(BASEMAP_URL).hostname
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})
REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE = REPO_ROOT / "geodata" / "sample" / "parcels.geojson"  # 360 synthetic parcels
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
MAP_ANIMATING = ".leaflet-zoom-anim, .leaflet-pan-anim"  # classes Leaflet sets while moving
WAIT_TIMEOUT_MS = 30_000  # all local, but two test workers (and their servers) share 2 cores
FULL_PAGE_MAX_HEIGHT_PX = 4000  # longer pages (the phone map page's list) get a viewport shot

MIN_TARGET_PX = 24  # WCAG 2.2 target size (minimum), CSS px
INTERACTIVE = "a[href], button, input:not([type=hidden]), select, summary"

# Elements smaller than MIN_TARGET_PX inside the roots, as "selector 'text' w×h" strings.
SMALL_TARGETS_JS = """([roots, selector, exclude, minimum]) => {
  const small = [];
  for (const root of document.querySelectorAll(roots)) {
    for (const el of root.querySelectorAll(selector)) {
      const box = el.getBoundingClientRect();
      if (!el.checkVisibility({ visibilityProperty: true }) || box.width * box.height === 0 ||
          (exclude && el.closest(exclude))) {
        continue;
      }
      if (box.width < minimum || box.height < minimum) {
        const classes = typeof el.className === "string" ? el.className.trim() : "";
        const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
          (el.name ? "[name=" + el.name + "]" : "") +
          (classes ? "." + classes.split(/\\s+/).join(".") : "");
        const text = (el.textContent || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 30);
        small.push(`${name} '${text}' ${box.width.toFixed(1)}×${box.height.toFixed(1)}`);
      }
    }
  }
  return small;
}"""

VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
    "desktop": {"viewport": {"width": 1366, "height": 768}},
}


def png_1x1(rgb: tuple[int, int, int] = (232, 236, 239)) -> bytes:
    """A valid one-pixel PNG of the given colour (stands in for every basemap tile)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00" + bytes(rgb))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(
        b"IEND", b"")


TILE_PNG = png_1x1()


def require(condition: bool, reason: str) -> None:
    """Skip when a browser prerequisite is missing; fail instead when CI is set."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)")
    pytest.skip(reason)


@dataclass
class LiveServer:
    """The app under test served by waitress on a loopback port."""

    app: object
    base_url: str

    @property
    def store(self):
        """The app's parcel store (read-only use in browser tests)."""
        return self.app.extensions["landgis.store"]

    def url(self, path: str) -> str:
        """Absolute URL of a path on the live server."""
        return self.base_url + path


@contextmanager
def serve_sample(tmp: Path, **settings) -> Iterator[LiveServer]:
    """The app on a tmp copy of the bundled sample, served by waitress on a loopback port."""
    with serve_file(tmp, SAMPLE, **settings) as server:
        yield server


@contextmanager
def serve_file(tmp: Path, source: Path, **settings) -> Iterator[LiveServer]:
    """The app on a tmp copy of a district file, served by waitress on a loopback port."""
    import waitress

    from tests.conftest import make_app

    app = make_app(tmp, source, BASEMAP_URL=BASEMAP_URL, **settings)
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.effective_port}")
    finally:
        server.close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> LiveServer:
    """One app on a copy of the bundled sample for the whole session; tests only read from it."""
    with serve_sample(tmp_path_factory.mktemp("browser")) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """The system Chromium driven by Playwright, headless, launched once per session."""
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    """The viewport name: "phone" or "desktop" (phone-only tests parametrize it indirectly)."""
    return request.param


@dataclass
class PageGuard:
    """Routes every request of a context and records what must not happen."""

    block_basemap: bool = False  # abort tiles instead of serving TILE_PNG
    tiles_served: list[str] = field(default_factory=list)
    tiles_aborted: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def route(self, route) -> None:
        """Loopback goes through, basemap tiles are answered locally, anything else aborts."""
        url = route.request.url
        host = urlsplit(url).hostname
        if host in LOOPBACK_HOSTS:
            route.continue_()
        elif host == BASEMAP_HOST and self.block_basemap:
            self.tiles_aborted.append(url)
            route.abort("internetdisconnected")
        elif host == BASEMAP_HOST:
            self.tiles_served.append(url)
            route.fulfill(status=200, content_type="image/png", body=TILE_PNG)
        else:
            self.external_requests.append(url)
            route.abort("blockedbyclient")

    def on_console(self, message) -> None:
        """Record console errors, except failed loads of tiles this guard aborted on purpose."""
        if message.type != "error":
            return
        source = message.location.get("url", "")
        if source in self.tiles_aborted:
            return
        self.errors.append(f"console: {message.text} ({source})")

    def on_page_error(self, error) -> None:
        """Record uncaught exceptions in page scripts."""
        self.errors.append(f"pageerror: {error}")


@pytest.fixture
def small_targets():
    """find(page, roots, exclude): visible targets under roots smaller than MIN_TARGET_PX.

    Returns one line per offender ("tag#id.class 'text' w×h"), empty when there is none.
    """
    def find(page, roots: str, exclude: str = "") -> str:
        small = page.evaluate(SMALL_TARGETS_JS, [roots, INTERACTIVE, exclude, MIN_TARGET_PX])
        return "\n".join(small)

    return find


def screenshot_path(request, viewport: str) -> Path:
    """test-artifacts/screenshots/<test-name>[-<other params>]-<viewport>.png"""
    callspec = getattr(request.node, "callspec", None)
    other = [p for p in (callspec.id.split("-") if callspec else []) if p != viewport]
    name = "-".join([request.node.originalname, *other, viewport])
    return SCREENSHOT_DIR / (re.sub(r"[^\w.-]+", "_", name) + ".png")


@pytest.fixture
def guard() -> PageGuard:
    """The request/console guard of this test's page (a test may set block_basemap)."""
    return PageGuard()


@pytest.fixture
def page(browser, viewport, guard, request):
    """A page in a fresh context at the viewport, guarded; screenshot and checks at teardown."""
    context = browser.new_context(locale="zh-CN", **VIEWPORTS[viewport])
    context.set_default_timeout(WAIT_TIMEOUT_MS)
    context.route("**/*", guard.route)
    page = context.new_page()
    page.on("console", guard.on_console)
    page.on("pageerror", guard.on_page_error)
    yield page
    try:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        # fitBounds animates the first zoom: shoot the settled map, not a scaled SVG.
        # (Functions, not expression strings: the page's CSP forbids eval.)
        page.wait_for_function("s => !document.querySelector(s)", arg=MAP_ANIMATING)
        height = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(path=screenshot_path(request, viewport),
                        full_page=height <= FULL_PAGE_MAX_HEIGHT_PX)
    finally:
        # Close with the routes still in place: unrouting first would let late tile requests
        # go to the network.
        page.close()
        context.close()
    assert guard.external_requests == [], "requests left the machine"
    assert guard.errors == [], "console errors or page errors"


def popup_clear_of_controls(page, map_selector: str = "#map_parcels", wait_s: float = 3.0
                            ) -> bool:
    """Whether the map's open popup, once the map has stopped panning to show it, overlaps
    none of the buttons down the map's left edge (zoom, fullscreen, locate)."""
    import time

    popup = page.locator(f"{map_selector} .leaflet-popup-content-wrapper")
    controls = page.locator(f"{map_selector} .leaflet-top.leaflet-left .leaflet-control")
    deadline, last = time.monotonic() + wait_s, None
    while time.monotonic() < deadline:  # autoPan animates; wait until the popup stands still
        box = popup.bounding_box()
        if box is not None and box == last:
            break
        last = box
        time.sleep(0.15)
    if last is None:
        return False
    for index in range(controls.count()):
        other = controls.nth(index).bounding_box()
        if other and _boxes_meet(last, other):
            return False
    return True


def _boxes_meet(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])
