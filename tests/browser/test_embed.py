"""The embeddable map inside an <iframe>: shown on an allowed site, refused on any other.

Two tiny parent pages are served from two more loopback ports (other origins than the app's):
the app allows the first in EMBED_ALLOWED_ORIGINS and not the second.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, serve_sample

pytestmark = pytest.mark.browser

EMBED_QUERY = "land_use=10&status=available"
FRAME_REFUSED = "frame-ancestors"  # Chromium's console message names the directive


class ParentPage(BaseHTTPRequestHandler):
    """Answers every GET with a page that frames the server's `embed_url`."""

    def do_GET(self) -> None:  # http.server's name
        body = (f'<!doctype html><html lang="en"><title>Parent site</title><h1>Parent site</h1>'
                f'<iframe id="landgis" title="Land map" width="360" height="480" '
                f'src="{self.server.embed_url}"></iframe>').encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        """Keep the test output quiet."""


@contextmanager
def parent_site() -> Iterator[ThreadingHTTPServer]:
    """A parent-page server on a free loopback port (its embed_url is set later)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), ParentPage)
    server.embed_url = "about:blank"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def origin(server: ThreadingHTTPServer) -> str:
    """The http origin a parent server answers on."""
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[tuple[LiveServer, str, str]]:
    """The app (allowing the first parent site only) and the two parent sites' URLs."""
    with (parent_site() as allowed, parent_site() as other,
          serve_sample(tmp_path_factory.mktemp("embed"),
                       EMBED_ALLOWED_ORIGINS=origin(allowed)) as app_server):
        allowed.embed_url = other.embed_url = app_server.url(f"/embed?{EMBED_QUERY}")
        yield app_server, origin(allowed) + "/", origin(other) + "/"


def test_embed_map_shows_inside_an_allowed_site(page, sites):
    app_server, allowed_url, _ = sites
    page.goto(allowed_url)
    frame = page.frame_locator("#landgis")
    expect(frame.locator(".leaflet-container")).to_be_visible()
    expect(frame.locator(".leaflet-overlay-pane path").first).to_be_attached()
    expect(frame.locator(".site-header")).to_have_count(0)
    link = frame.locator("#embed-full-link")
    expect(link).to_be_visible()
    with page.context.expect_page() as opened:
        link.click()
    full_map = opened.value
    full_map.wait_for_load_state()
    assert full_map.url == app_server.url(f"/?{EMBED_QUERY}")
    full_map.close()


def test_embed_map_is_refused_inside_another_site(page, sites, guard):
    _, _, other_url = sites
    page.goto(other_url)
    child = page.frames[1]
    assert child.url.startswith("chrome-error://") or child.url == "about:blank", child.url
    assert page.frame_locator("#landgis").locator(".leaflet-container").count() == 0
    refused = [e for e in guard.errors if FRAME_REFUSED in e]
    assert refused, guard.errors
    guard.errors[:] = [e for e in guard.errors if e not in refused]  # the expected refusal
