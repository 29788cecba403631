"""The import's mapping step in Chromium on a phone: an editor uploads a bureau file whose
land-use column speaks another vocabulary (住宅區, 商業區, R-1), maps the field and its values by
typing codes from the searchable list, re-validates, saves the mapping as a profile and imports;
the parcels are stored with the mapped codes, and the next upload of the same layout comes with
the profile pre-selected. Own writable server on a copy of the four-parcel test district."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import serve_file
from tests.conftest import DATA
from tests.editing_fixtures import PASSWORD, ROLE_USERS, add_staff
from tests.importing.mapping_files import write_vocabulary_file

pytestmark = pytest.mark.browser
CODES = {"住宅區": "0701", "商業區": "0901", "R-1": "0701"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A writable app on a copy of the four test parcels, with staff accounts."""
    with serve_file(tmp_path_factory.mktemp("import-mapping"), DATA / "small.geojson") as live:
        add_staff(live.app)
        yield live


def log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/auth/login?next=/imports/")
    page.fill("#name", ROLE_USERS["editor"])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def upload(page: Page, base: str, path) -> None:
    page.goto(f"{base}/imports/")
    page.set_input_files("#file", str(path))
    with page.expect_navigation():
        page.click("form.staff-form button[type=submit]")
    expect(page.locator("#import-mapping")).to_be_visible()


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def submit(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_import_mapping_by_picking_codes_then_profile_offered(page, server, tmp_path):
    base = server.base_url
    log_in(page, base)
    upload(page, base, write_vocabulary_file(tmp_path))
    submit(page, "#open-mapping")
    assert fits_the_phone(page)
    page.select_option("#field-1", "land_use")
    submit(page, "#revalidate")
    submit(page, "#open-mapping")
    for source, code in CODES.items():
        row = page.locator(".mapping-value", has=page.locator(".source-value", has_text=source))
        row.locator("input[list=land-use-codes]").fill(code)
    assert fits_the_phone(page)
    submit(page, "#revalidate")
    expect(page.locator("p.summary")).to_have_attribute("data-accepted", "5")
    submit(page, "#open-mapping")
    page.fill("#profile-name", "自然资源局 月报")
    submit(page, "#save-profile button[type=submit]")
    expect(page.locator("#mapping-profile")).to_contain_text("自然资源局 月报")
    submit(page, "#confirm-import")
    assert [server.store.get(f"M-00{i}", include_drafts=True).land_use
            for i in range(1, 6)] == ["0701", "0701", "0701", "0901", "0701"]
    folder = tmp_path / "next-month"
    folder.mkdir()
    upload(page, base, write_vocabulary_file(folder, name="next-month.geojson"))
    expect(page.locator("#mapping-profile")).to_contain_text("自然资源局 月报")
    expect(page.locator("#profile-id option:checked")).to_contain_text("自然资源局 月报")
    expect(page.locator("p.summary")).to_have_attribute("data-accepted", "5")
