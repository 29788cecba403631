"""Staff upload a bureau file, see its report, and confirm; others cannot."""

import re

import pytest

from tests.editing_fixtures import client_as, csrf_token


def upload(client, path, **options):
    data = {"csrf_token": csrf_token(client, "/imports/"), **options}
    with path.open("rb") as f:
        data["file"] = (f, path.name)
        return client.post("/imports/", data=data, content_type="multipart/form-data")


def preview_url(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def token_of(url: str) -> str:
    return re.search(r"/imports/([\w-]+)", url).group(1)


def test_web_import_preview_lists_repaired_and_rejected_rows(editor_client, messy_geojson):
    url = preview_url(upload(editor_client, messy_geojson))
    html = editor_client.get(url, query_string={"lang": "en"}).get_data(as_text=True)
    assert 'data-accepted="1" data-repaired="1" data-rejected="1"' in html
    assert "duplicate code “T-001” (first in row 1)" in html


def test_web_import_preview_writes_nothing(editor_client, staff_store, messy_geojson):
    editor_client.get(preview_url(upload(editor_client, messy_geojson)))
    assert staff_store.get("T-BOW", include_drafts=True) is None


def test_web_import_confirm_writes_and_discards_upload(staff_app, editor_client, staff_store,
                                                         messy_geojson, tmp_path):
    url = preview_url(upload(editor_client, messy_geojson))
    response = editor_client.post(f"/imports/{token_of(url)}/confirm",
                                  data={"csrf_token": csrf_token(editor_client, "/imports/"),
                                        "mode": "upsert"})
    assert response.status_code == 302
    assert staff_store.get("T-BOW") is not None
    assert editor_client.get(url).status_code == 404  # the upload is gone


def test_web_import_report_downloads_as_csv(editor_client, messy_geojson):
    url = preview_url(upload(editor_client, messy_geojson))
    response = editor_client.get(f"/imports/{token_of(url)}/report.csv",
                                 query_string={"lang": "en"})
    assert response.mimetype == "text/csv"
    assert "3,T-001,rejected" in response.get_data(as_text=True)


def test_web_import_report_csv_in_the_users_language(editor_client, messy_geojson):
    url = preview_url(upload(editor_client, messy_geojson))
    text = editor_client.get(f"/imports/{token_of(url)}/report.csv").get_data(as_text=True)
    assert text.startswith("\ufeff行号,宗地编号,结果,说明")
    assert "3,T-001,拒绝,宗地编号“T-001”重复（首次出现在第 1 行）" in text


def test_web_import_layer_choice_offered(editor_client, two_layer_geopackage):
    html = editor_client.get(preview_url(upload(editor_client, two_layer_geopackage))
                             ).get_data(as_text=True)
    assert 'id="import-error"' in html and '<option value="parcels_2025"' in html


def test_web_import_layer_choice_then_preview(editor_client, two_layer_geopackage):
    url = preview_url(upload(editor_client, two_layer_geopackage, layer="parcels_2025"))
    html = editor_client.get(url).get_data(as_text=True)
    assert 'data-accepted="2"' in html


@pytest.mark.parametrize(("fixture", "message"), [
    ("renamed_png", "this is a PNG image, not a parcel file"),
    ("traversal_zip", "points outside the archive"),
])
def test_web_import_hostile_file_shows_reason(request, editor_client, fixture, message):
    url = preview_url(upload(editor_client, request.getfixturevalue(fixture)))
    html = editor_client.get(url).get_data(as_text=True)
    assert message in html and "confirm-import" not in html


def test_web_import_bad_mode_is_400(editor_client, messy_geojson):
    response = upload(editor_client, messy_geojson, mode="delete-everything")
    assert response.status_code == 400


def test_web_import_without_file_is_400(editor_client):
    response = editor_client.post("/imports/", data={
        "csrf_token": csrf_token(editor_client, "/imports/")})
    assert response.status_code == 400


def test_web_import_unknown_token_is_404(editor_client):
    assert editor_client.get("/imports/" + "x" * 32).status_code == 404


def test_web_import_too_large_upload_is_413(staff_app, editor_client, tmp_path):
    staff_app.config["MAX_CONTENT_LENGTH"] = 1000
    path = tmp_path / "big.geojson"
    path.write_bytes(b"{" + b" " * 5000 + b"}")
    assert upload(editor_client, path).status_code == 413


@pytest.mark.parametrize("role", [None, "viewer"])
def test_web_import_needs_editor_role(staff_app, role, messy_geojson):
    client = client_as(staff_app, role)
    response = client.get("/imports/")
    assert response.status_code in (302, 403)


def test_web_import_audit_names_the_staff_member(editor_client, staff_store, tmp_path):
    import json

    from tests.conftest import DATA
    from webapp.domain.audit import ChangeFilter

    changed = json.loads((DATA / "small.geojson").read_text())
    changed["features"][0]["properties"]["status"] = "sold"
    path = tmp_path / "changed.geojson"
    path.write_text(json.dumps(changed, ensure_ascii=False))
    url = preview_url(upload(editor_client, path))
    editor_client.post(f"/imports/{token_of(url)}/confirm",
                       data={"csrf_token": csrf_token(editor_client, "/imports/"),
                             "mode": "upsert"})
    entries = staff_store.changes(ChangeFilter()).changes
    assert [(c.actor, c.field, c.new_value, c.source) for c in entries] == [
        ("eddie", "status", "sold", "import")]
