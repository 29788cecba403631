"""Links to parcel pages lead to that parcel, whatever its code holds (slashes, dots, digits)."""

import json
import re
from html import unescape as html_unescape

import pytest

from tests.conftest import make_app

SQUARE = [[118.500, 31.700], [118.501, 31.700], [118.501, 31.701], [118.500, 31.701],
          [118.500, 31.700]]


def _feature(code: str, shift: float) -> dict:
    ring = [[x + shift, y] for x, y in SQUARE]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"code": code, "land_use": "100101", "status": "available",
                           "name": f"name of {code}"}}


CODES = ["H-17 ../../../../etc/passwd", "2023/001", "1", "2", ".."]


@pytest.fixture
def linked_app(tmp_path):
    source = tmp_path / "source" / "codes.geojson"
    source.parent.mkdir()
    features = [_feature(code, 0.002 * i) for i, code in enumerate(CODES)]
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                      encoding="utf-8")
    return make_app(tmp_path, source)


def _resolve(href: str) -> str:
    """The path a browser asks for when following href from / (dot segments removed)."""
    segments = []
    for segment in href.split("?")[0].split("/")[1:]:
        if segment == "..":
            segments = segments[:-1]
        elif segment != ".":
            segments.append(segment)
    return "/" + "/".join(segments)


def test_result_list_links_open_each_parcel_s_own_page(linked_app):
    client = linked_app.test_client()
    html = client.get("/").text
    hrefs = re.findall(r'class="result-link" href="([^"]+)"', html)
    assert len(hrefs) == len(CODES)
    opened = set()
    for href in hrefs:
        page = client.get(_resolve(href.replace("&amp;", "&")))
        assert page.status_code == 200, href
        opened.add(html_unescape(re.search(r" name of (.+?) · ", page.text).group(1)))
    assert opened == set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_share_link_of_a_parcel_page_opens_that_parcel(linked_app, code):
    client = linked_app.test_client()
    store = linked_app.extensions["landgis.store"]
    parcel = store.get(code)
    page = client.get(f"/parcels/{parcel.id}")
    url = re.search(r'id="share-url"|value="(http[^"]+)" id="share-url"', page.text).group(1)
    again = client.get(_resolve(url.split("localhost", 1)[1]))
    assert again.status_code == 200 and f"name of {code}" in again.text
