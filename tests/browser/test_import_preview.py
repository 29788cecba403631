"""The import preview in Chromium on a phone (issue 19 part 5): an admin uploads next month's
file to replace all parcels; the Chinese preview says how many parcels it deletes, draws the
incoming parcels (a repaired bow-tie highlighted), has no English sentence, and the import needs
the second confirmation naming the number deleted. Own writable server on a copy of the
four-parcel test district."""

import json
import re

import pytest
from playwright.sync_api import Page, expect
from shapely.geometry import Polygon

from tests.browser.conftest import serve_file
from tests.browser.test_locale import ALLOWED_WORDS, ENGLISH_WORD, PAGE_TEXTS_JS
from tests.conftest import DATA
from tests.editing_fixtures import PASSWORD, ROLE_USERS, add_staff

pytestmark = pytest.mark.browser
# Coordinate-system identifiers the summary names (WGS 84, OGC:CRS84): names, not sentences.
CRS_WORDS = frozenset({"WGS", "OGC", "CRS", "EPSG"})


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A writable app on a copy of the four test parcels, with staff accounts."""
    with serve_file(tmp_path_factory.mktemp("import-preview"), DATA / "small.geojson") as live:
        add_staff(live.app)
        yield live


@pytest.fixture
def next_month(tmp_path):
    """T-001 and T-002 again, T-003 and T-004 gone, a new T-009 drawn as a bow-tie."""
    data = json.loads((DATA / "small.geojson").read_text())
    first, second, _third, fourth = data["features"]
    fourth["properties"]["code"] = "T-009"
    fourth["geometry"] = Polygon([(118.52, 31.70), (118.53, 31.71), (118.53, 31.70),
                                  (118.52, 31.71)]).__geo_interface__
    data["features"] = [first, second, fourth]
    path = tmp_path / "二月地块.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path, {*first["properties"], data["name"], path.name}  # fields, layer, file name


def log_in_and_upload(page: Page, base: str, path) -> None:
    page.goto(f"{base}/auth/login?next=/imports/")
    page.fill("#name", ROLE_USERS["admin"])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    expect(page.locator("#replace-mode-warning")).to_be_visible()
    page.set_input_files("#file", str(path))
    page.select_option("#mode", "replace")
    with page.expect_navigation():
        page.click("form.staff-form button[type=submit]")


def english_words(page: Page, server, data: set[str]) -> set[str]:
    """English words of the page's text, other than allowed names, the basemap's attribution,
    the staff member's name and the file's own data (field and layer names)."""
    text = page.evaluate(PAGE_TEXTS_JS).replace(server.app.config["BASEMAP_ATTRIBUTION"], " ")
    words = set(ENGLISH_WORD.findall(text.replace(ROLE_USERS["admin"], " ")))
    data_words = {w for text in data for w in ENGLISH_WORD.findall(text)}
    return words - ALLOWED_WORDS - CRS_WORDS - data_words


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_replace_preview_states_removed_and_needs_second_confirmation(page, server,
                                                                     next_month):
    path, fields = next_month
    log_in_and_upload(page, server.base_url, path)
    expect(page.locator("#import-effect")).to_have_attribute("data-removed", "2")
    expect(page.locator("#removal-warning")).to_contain_text("2")
    expect(page.locator("#map_incoming[data-parcel-count='3']")).to_be_attached()
    expect(page.locator("#import-repairs tr.lost-area[data-code='T-009']")).to_be_visible()
    assert english_words(page, server, fields) == set()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    preview = page.url
    page.click("#confirm-import")  # not ticked: the browser keeps the form
    assert page.url == preview and server.store.get("T-003", include_drafts=True)
    page.check("#confirm-removed")
    expect(page.locator("label.confirm-removal")).to_contain_text(re.compile(r"删除 2 宗"))
    with page.expect_navigation():
        page.click("#confirm-import")
    assert server.store.get("T-003", include_drafts=True) is None
    assert server.store.get("T-009", include_drafts=True) is not None
