"""The map page speaks the page's language in Chromium, Leaflet's own texts included: no English
word in the Chinese page's text or labels, a metric scale bar, and a refused location shown as
a message in the map (never an alert) in the UI language. Both map kinds (one embedded GeoJSON
and vector tiles)."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, serve_sample

pytestmark = pytest.mark.browser

# Words that stay English in the Chinese UI, each for a reason: the map library's and the
# basemap's names (proper nouns, attribution), file formats the download links offer, the
# language switch's own name for English, and the scale bar's unit symbol.
ALLOWED_WORDS = frozenset({"Leaflet", "OpenStreetMap", "CSV", "GeoJSON", "GeoPackage",
                           "English", "km"})
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")  # one letter is a code (G(2024)008) or m, not a word

# The page's text as a person or a screen reader meets it: the visible text with every <details>
# (filters, legend) opened, the title, and every aria-label, title, placeholder and alt.
PAGE_TEXTS_JS = """() => {
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  const texts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
    for (const name of ["aria-label", "title", "placeholder", "alt"]) {
      if (el.getAttribute(name)) { texts.push(el.getAttribute(name)); }
    }
  }
  return texts.join("\\n");
}"""


@pytest.fixture(scope="module")
def servers(live_server, tmp_path_factory) -> Iterator[dict[str, LiveServer]]:
    """The sample district with an embedded map (the session's server) and with tiles."""
    with serve_sample(tmp_path_factory.mktemp("locale-tiles"), TILE_MAP_THRESHOLD=10) as tiles:
        yield {"embedded": live_server, "tiles": tiles}


def open_map(page: Page, server: LiveServer, query: str = "") -> None:
    """Open the map page and wait until its parcels are drawn."""
    response = page.goto(server.url("/" + query), wait_until="domcontentloaded")
    assert response.status == 200, f"{response.url}: HTTP {response.status}"
    page.wait_for_selector("#map_parcels[data-parcel-count]", state="attached")


@pytest.mark.parametrize("kind", ["embedded", "tiles"])
def test_chinese_map_page_has_no_english_words(page, servers, kind):
    server = servers[kind]
    open_map(page, server)
    text = page.evaluate(PAGE_TEXTS_JS)
    text = text.replace(server.app.config["BASEMAP_ATTRIBUTION"], " ")  # the operator's wording
    assert set(ENGLISH_WORD.findall(text)) - ALLOWED_WORDS == set()


@pytest.mark.parametrize("kind", ["embedded", "tiles"])
def test_map_scale_bar_is_metric_only(page, servers, kind):
    open_map(page, servers[kind])
    lines = page.locator("#map_parcels .leaflet-control-scale-line")
    expect(lines).to_have_count(1)
    expect(lines).to_have_text(re.compile(r"^\d+ k?m$"))


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
@pytest.mark.parametrize(("query", "expected"), [
    ("", "无法获取您的位置"), ("?lang=en", "Your location is not available")])
def test_refused_location_shows_message_in_map_not_alert(page, servers, query, expected):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_map(page, servers["embedded"], query)  # no geolocation permission: the browser refuses
    page.click("#map_parcels .leaflet-control-locate a")
    message = page.locator("#map_parcels .map-message")
    expect(message).to_be_visible()
    expect(message).to_have_attribute("role", "alert")
    expect(message).to_contain_text(expected)
    assert dialogs == []
