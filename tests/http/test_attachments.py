"""Parcel photos and documents over HTTP: staff attach checked files (EXIF and GPS stripped,
renamed files refused), the parcel page shows a gallery, files are served with safe headers,
and a draft parcel's files and internal files are never public."""

import io

import pytest
from PIL import Image

from tests.attachment_files import (
    GPS_IFD,
    HTML_PAGE,
    javascript_pdf,
    jpeg_with_gps,
    plain_pdf,
    png,
)
from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff, client_as, csrf_token
from tests.hostile import EVALUATED_MARKERS, hostile_items


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The four-parcel app with staff; T-004 is made a draft."""
    app = make_app(tmp_path_factory.mktemp("attachments"), DATA / "small.geojson")
    add_staff(app)
    store = app.extensions["landgis.store"]
    draft = store.get("T-004")
    store.update_parcel(draft.id, {"published": False}, None, "ada", "form")
    return app


def upload(app, code: str, files, role: str = "editor", lang: str = "zh", **fields):
    client = client_as(app, role)
    data = {"csrf_token": csrf_token(client, "/"), "files": [
        (io.BytesIO(content), name) for name, content in files], **fields}
    return client.post(f"/attachments/parcels/{code}?lang={lang}", data=data,
                       content_type="multipart/form-data")


def attached(app, code: str):
    return app.extensions["landgis.store"].attachments.attachments(code)


def test_upload_strips_gps_exif_and_applies_orientation(app):
    response = upload(app, "T-001", [("site.jpg", jpeg_with_gps(64, 48, orientation=6))])
    assert response.status_code == 303
    stored = attached(app, "T-001")[-1]
    served = client_as(app, None).get(f"/attachments/{stored.id}")
    image = Image.open(io.BytesIO(served.data))
    assert served.status_code == 200 and image.format == "JPEG"
    assert dict(image.getexif()) == {} and not image.getexif().get_ifd(GPS_IFD)
    assert image.size == (48, 64)  # turned upright
    assert Image.open(io.BytesIO(jpeg_with_gps())).getexif().get_ifd(GPS_IFD)  # the oracle


def test_large_photo_is_scaled_down_with_a_thumbnail(app):
    upload(app, "T-002", [("big.png", png(3000, 1000))])
    stored = attached(app, "T-002")[-1]
    assert (stored.width_px, stored.height_px) == (2560, 853)
    thumb = client_as(app, None).get(f"/attachments/{stored.id}/thumbnail")
    assert Image.open(io.BytesIO(thumb.data)).size == (480, 160)


@pytest.mark.parametrize(("name", "content", "words"), [
    ("plan.jpg", plain_pdf(), "PDF"),
    ("notice.pdf", HTML_PAGE, "not a PDF"),
    ("photo.pdf", jpeg_with_gps(), "photo"),
    ("script.pdf", javascript_pdf(), "/JavaScript"),
    ("page.html", HTML_PAGE, "only JPEG"),
    ("scan.jpg", HTML_PAGE, "no JPEG, PNG or WebP"),
    ("empty.png", b"", "empty"),
    ("broken.jpg", b"\xff\xd8\xff\xe0broken", "not a readable"),
], ids=["pdf-as-jpg", "html-as-pdf", "jpeg-as-pdf", "javascript-pdf", "html", "html-as-jpg",
        "empty",
        "broken-jpeg"])
def test_refused_file_gets_a_clear_4xx(app, name, content, words):
    before = len(attached(app, "T-003"))
    response = upload(app, "T-003", [(name, content)], lang="en")
    assert response.status_code == 422
    assert words in response.get_data(as_text=True)
    assert len(attached(app, "T-003")) == before


def test_one_refused_file_refuses_the_whole_upload(app):
    before = len(attached(app, "T-003"))
    response = upload(app, "T-003", [("ok.png", png()), ("bad.pdf", HTML_PAGE)])
    assert response.status_code == 422 and len(attached(app, "T-003")) == before


def test_file_over_the_size_limit_gets_413(tmp_path):
    small = make_app(tmp_path, DATA / "small.geojson", ATTACHMENT_MAX_MB=1)
    add_staff(small)
    response = upload(small, "T-001", [("huge.png", b"\x89PNG\r\n\x1a\n" + b"0" * (1 << 20))])
    assert response.status_code == 413


def test_pdf_is_served_as_a_download_with_safe_headers(app):
    upload(app, "T-001", [("规划条件.pdf", plain_pdf())], caption="规划条件书")
    stored = attached(app, "T-001")[-1]
    response = client_as(app, None).get(f"/attachments/{stored.id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment")
    again = client_as(app, None).get(f"/attachments/{stored.id}",
                                      headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_photo_is_served_inline(app):
    upload(app, "T-001", [("inline.png", png())])
    response = client_as(app, None).get(f"/attachments/{attached(app, 'T-001')[-1].id}")
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_draft_parcel_photo_is_404_to_anonymous_and_shown_to_staff(app):
    upload(app, "T-004", [("draft.jpg", jpeg_with_gps())])
    stored = attached(app, "T-004")[-1]
    assert client_as(app, None).get(f"/attachments/{stored.id}").status_code == 404
    assert client_as(app, None).get(f"/attachments/{stored.id}/thumbnail").status_code == 404
    assert client_as(app, "viewer").get(f"/attachments/{stored.id}").status_code == 200
    store = app.extensions["landgis.store"]
    assert store.attachments.first_photo("T-004") is not None  # the brochure checks drafts


def test_internal_file_is_hidden_from_the_public(app):
    upload(app, "T-002", [("internal.png", png())], caption="内部照片", internal="yes")
    stored = attached(app, "T-002")[-1]
    assert stored.internal
    assert client_as(app, None).get(f"/attachments/{stored.id}").status_code == 404
    page = client_as(app, None).get("/parcels/T-002").get_data(as_text=True)
    assert f"/attachments/{stored.id}" not in page and "内部照片" not in page
    staff_page = client_as(app, "viewer").get("/parcels/T-002").get_data(as_text=True)
    assert f"/attachments/{stored.id}" in staff_page


def test_parcel_page_shows_the_gallery(app):
    upload(app, "T-003", [("gallery.png", png()), ("公告.pdf", plain_pdf())],
           caption="现场照片")
    page = client_as(app, None).get("/parcels/T-003").get_data(as_text=True)
    assert 'id="parcel-gallery"' in page and "/thumbnail" in page and "现场照片" in page


def test_edit_and_remove_are_recorded_in_history(app):
    upload(app, "T-002", [("history.png", png())])
    stored = attached(app, "T-002")[-1]
    client = client_as(app, "editor")
    token = csrf_token(client, "/")
    client.post(f"/attachments/{stored.id}/edit", data={
        "csrf_token": token, "caption": "新标题", "position": "0", "internal": "yes"})
    assert client.post(f"/attachments/{stored.id}/remove",
                       data={"csrf_token": token}).status_code == 303
    assert client_as(app, None).get(f"/attachments/{stored.id}").status_code == 404
    history = app.extensions["landgis.store"].attachments.changes("T-002")
    actions = [(c.action, c.actor) for c in history if c.attachment_id == stored.id]
    assert actions[0][0] == "removed" and ("added", actions[0][1]) in actions
    assert {"caption", "internal", "position"} <= {a for a, _ in actions}
    page = client_as(app, "viewer").get("/attachments/parcels/T-002").get_data(as_text=True)
    assert 'id="attachment-history"' in page and "history.png" in page


def test_upload_without_csrf_is_refused(app):
    client = client_as(app, "editor")
    response = client.post("/attachments/parcels/T-001", content_type="multipart/form-data",
                           data={"files": [(io.BytesIO(png()), "x.png")]})
    assert response.status_code == 400


def test_unknown_parcel_and_attachment_are_404(app):
    assert client_as(app, "viewer").get("/attachments/parcels/NOPE").status_code == 404
    assert client_as(app, None).get("/attachments/999999").status_code == 404


@pytest.mark.parametrize(("label", "text"), hostile_items())
def test_hostile_caption_and_name_are_escaped(app, label, text):
    name = f"{text[:60]}.png" if '"' not in text else "quoted.png"  # a quote ends the name
    response = upload(app, "T-001", [(name, png())], caption=text)
    assert response.status_code == 303, (label, response.get_data(as_text=True)[-600:])
    pages = [client_as(app, None).get("/parcels/T-001"),
             client_as(app, "viewer").get("/attachments/parcels/T-001")]
    for page in pages:
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert not any(marker in html for marker in EVALUATED_MARKERS)
        assert "<script>window.__pwned" not in html and "<img src=x" not in html
        assert "<svg/onload" not in html and 'x="" onmouseover' not in html


def test_refusal_is_in_chinese_by_default(app):
    response = upload(app, "T-003", [("notice.pdf", HTML_PAGE)])
    assert response.status_code == 422 and "不是 PDF 文档" in response.get_data(as_text=True)
