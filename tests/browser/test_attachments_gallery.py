"""The parcel page's photos and documents in Chromium at phone and desktop sizes: thumbnails
load, a thumbnail opens the full photo, PDFs are document links, no sideways scrolling."""

import pytest
from playwright.sync_api import expect

from tests.attachment_files import jpeg_with_gps, plain_pdf
from tests.browser.conftest import serve_file
from tests.conftest import DATA
from webapp.attachments.checking import AttachmentLimits, check_upload

pytestmark = pytest.mark.browser
LIMITS = AttachmentLimits(1 << 22, 2560, 40_000_000)


@pytest.fixture(scope="module")
def gallery_server(tmp_path_factory):
    """The four-parcel district with three photos and a PDF on T-001."""
    with serve_file(tmp_path_factory.mktemp("gallery"), DATA / "small.geojson") as server:
        attachments = server.store.attachments
        for number, caption in enumerate(("现场照片", "航拍", "道路入口")):
            photo = check_upload(jpeg_with_gps(1200 + number * 100, 900), f"p{number}.jpg",
                                 LIMITS)
            attachments.add("T-001", photo, caption, False, "eddie")
        attachments.add("T-001", check_upload(plain_pdf(), "规划条件书.pdf", LIMITS),
                        "规划条件书", False, "eddie")
        yield server


def test_gallery_thumbnails_load_and_open_the_photo(page, gallery_server):
    response = page.goto(gallery_server.url("/parcels/T-001"))
    assert response.status == 200
    thumbnails = page.locator("#parcel-gallery .gallery-photos img")
    expect(thumbnails).to_have_count(3)
    for index in range(3):
        thumb = thumbnails.nth(index)
        thumb.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=thumb.element_handle())
    expect(page.locator("#parcel-gallery .document-link")).to_have_text("规划条件书")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "the page scrolls sideways"
    link = page.locator("#parcel-gallery .gallery-photos a").first.get_attribute("href")
    full = page.request.get(gallery_server.url(link))
    assert full.status == 200 and full.headers["content-type"] == "image/jpeg"
    page.locator("#parcel-gallery").scroll_into_view_if_needed()
