"""Every script and stylesheet a map page links is served by the app itself (vendored or ours)."""

import re

import pytest

from tests.conftest import DATA, make_app

LINKED = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"([^\"]+)\"")
ASSET = re.compile(r"\.(?:js|css)$")


def linked_assets(html: str) -> list[str]:
    """The JS and CSS files a page links, in page order (the basemap tile URL is not one)."""
    return [url for url in LINKED.findall(html) if ASSET.search(url.split("?")[0])]


@pytest.mark.parametrize(("threshold", "path"), [
    (None, "/"), (None, "/parcels/T-001"), (2, "/"),  # 2: the four parcels need the tile map
], ids=["map", "parcel", "tile-map"])
def test_map_page_assets_are_served_by_the_app(tmp_path, threshold, path):
    settings = {} if threshold is None else {"TILE_MAP_THRESHOLD": threshold}
    client = make_app(tmp_path, DATA / "small.geojson", **settings).test_client()
    urls = linked_assets(client.get(path).get_data(as_text=True))
    assert "/static/vendor/leaflet/1.9.3/leaflet.js" in urls
    missing = [url for url in urls if client.get(url).status_code != 200]
    assert missing == []
