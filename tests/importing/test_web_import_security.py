"""The web import with hostile text, stolen tokens and drafts (issue 14; the CLI's side is in
tests/cli)."""

import json

import pytest

from tests.conftest import DATA
from tests.editing_fixtures import client_as, csrf_token
from tests.hostile import HOSTILE, write_hostile_district
from tests.importing.test_web_import import preview_url, token_of, upload
from webapp.domain.filters import ParcelFilter


def confirm(client, token, **form):
    return client.post(f"/imports/{token}/confirm", data={
        "csrf_token": csrf_token(client, "/imports/"), "mode": "upsert", **form})


# Upload tokens belong to the uploader.

@pytest.fixture
def other_editor(staff_app):
    """A second editor of the same app (the admin may do everything an editor may)."""
    return client_as(staff_app, "admin")


@pytest.fixture
def token(editor_client, messy_geojson):
    return token_of(preview_url(upload(editor_client, messy_geojson)))


@pytest.mark.parametrize("step", ["preview", "report"])
def test_token_of_another_editor_cannot_be_read(other_editor, token, step):
    url = f"/imports/{token}" + ("/report.csv" if step == "report" else "")
    assert other_editor.get(url).status_code == 404


@pytest.mark.parametrize("step", ["confirm", "cancel"])
def test_token_of_another_editor_cannot_be_used(other_editor, editor_client, staff_store, token,
                                                step):
    response = other_editor.post(f"/imports/{token}/{step}", data={
        "csrf_token": csrf_token(other_editor, "/imports/"), "mode": "upsert"})
    assert response.status_code == 404
    assert staff_store.get("T-BOW", include_drafts=True) is None
    assert editor_client.get(f"/imports/{token}").status_code == 200  # still the owner's


def test_token_owner_can_still_confirm(editor_client, staff_store, token):
    assert confirm(editor_client, token).status_code == 302
    assert staff_store.get("T-BOW") is not None


def test_token_does_not_carry_the_owner(token):
    assert len(token) >= 32 and "eddie" not in token and ":" not in token


# Report CSV cells a spreadsheet would run are text.

def test_web_report_csv_neutralises_formulas(editor_client, tmp_path):
    collection = json.loads((DATA / "small.geojson").read_text())
    feature = collection["features"][0]
    feature["properties"].update(code='=HYPERLINK("http://evil.example")')
    second = json.loads(json.dumps(collection["features"][1]))
    second["properties"].update(code="@SUM(1+1)")
    collection["features"] = [feature, second]
    path = tmp_path / "formula.geojson"
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    url = preview_url(upload(editor_client, path))
    text = editor_client.get(f"/imports/{token_of(url)}/report.csv").get_data(as_text=True)
    rows = text.splitlines()[1:]
    assert rows[0].startswith("1,\"'=HYPERLINK(") and rows[1].startswith("2,'@SUM(1+1)")
    assert not any(cell.startswith(("=", "@", "+", "-")) for row in rows
                   for cell in row.split(","))


# The hostile district through the web upload.

@pytest.fixture
def hostile_file(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    return write_hostile_district(folder)


def assert_shown_as_text(html: str) -> None:
    # tests.hostile's markers, but "evaluated" is also plain text of the corpus: evaluated, the
    # statement would leave "AevaluatedB"
    assert not any(marker in html for marker in ("X49Y", "CD ", "AevaluatedB"))
    assert "X49Y" not in html and "</script><script>window.__pwned" not in html
    assert "<img src=x onerror" not in html and "<svg/onload" not in html


def test_web_hostile_district_preview_shows_text(editor_client, hostile_file):
    url = preview_url(upload(editor_client, hostile_file))
    html = editor_client.get(url, query_string={"lang": "en"}).get_data(as_text=True)
    assert f'data-accepted="{len(HOSTILE)}"' in html or "data-repaired" in html
    assert_shown_as_text(html)


def test_web_hostile_district_report_csv_keeps_values(editor_client, hostile_file):
    url = preview_url(upload(editor_client, hostile_file))
    text = editor_client.get(f"/imports/{token_of(url)}/report.csv").get_data(as_text=True)
    assert "X49Y" not in text and "H-00 X{{ 7*7 }}Y" in text


def test_web_hostile_district_imports_as_text(staff_app, editor_client, staff_store,
                                              hostile_file):
    staff_app.config["IMPORT_REPLACE_ROLE"] = "editor"
    token = token_of(preview_url(upload(editor_client, hostile_file)))
    html = confirm(editor_client, token, mode="replace", confirm_removed="4")  # T-001..T-004
    assert html.status_code == 302
    names = {p.name for p in staff_store.query(ParcelFilter(include_drafts=True)).parcels}
    assert HOSTILE["jinja_expression"] in names and HOSTILE["script_close"] in names
    assert_shown_as_text(editor_client.get("/admin/parcels").get_data(as_text=True))


# Replace keeps drafts unless the web checkbox asks.

@pytest.fixture
def draft_app(staff_app, staff_store):
    """staff_app with T-001 set to draft by the editor."""
    parcel = staff_store.get("T-001")
    staff_store.update_parcel(parcel.id, {"published": False}, None, "eddie", "form")
    return staff_app


@pytest.mark.parametrize(("form", "published"), [({}, False), ({"publish": "1"}, True)])
def test_web_replace_keeps_drafts_unless_asked(draft_app, staff_store, form, published):
    client = client_as(draft_app, "admin")  # IMPORT_REPLACE_ROLE
    token = token_of(preview_url(upload(client, DATA / "small.geojson", mode="replace", **form)))
    assert confirm(client, token, mode="replace", **form).status_code == 302
    assert staff_store.get("T-001", include_drafts=True).published is published


def test_web_publish_and_draft_together_is_400(editor_client, messy_geojson):
    response = upload(editor_client, messy_geojson, draft="1", publish="1")
    assert response.status_code == 400
