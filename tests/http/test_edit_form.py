"""The parcel edit form: every attribute, messages next to fields, versions, conflicts, drafts."""

import re

import pytest

from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff, client_as, edit_form, form_values
from webapp.domain.audit import ChangeFilter
from webapp.domain.edits import EDITABLE_FIELDS

EDIT = "/admin/parcels/{}/edit"


def parcel_id(store, code="T-001"):
    return store.get(code, include_drafts=True).id


def post(client, store, values, code="T-001"):
    return client.post(EDIT.format(parcel_id(store, code)) + "?lang=en", data=values)


def field_error(html: str, name: str) -> str:
    match = re.search(rf'<p class="field-error" id="{name}-error">([^<]*)</p>', html)
    return match.group(1) if match else ""


def test_edit_form_has_every_editable_field_with_stored_values(editor_client, staff_store):
    values = edit_form(editor_client, parcel_id(staff_store))
    assert set(EDITABLE_FIELDS) <= set(values)
    assert (values["code"], values["status"], values["far_min"], values["land_use"]) == (
        "T-001", "available", "1.2", "100101")


def test_edit_form_has_no_input_for_computed_area(editor_client, staff_store):
    assert "area_m2" not in edit_form(editor_client, parcel_id(staff_store))


def test_edit_form_etag_names_parcel_version(editor_client, staff_store):
    response = editor_client.get(EDIT.format(parcel_id(staff_store)))
    assert response.headers["ETag"] == f'"{parcel_id(staff_store)}-1"'


def test_edit_form_offers_land_uses_from_code_table(editor_client, staff_store):
    html = editor_client.get(EDIT.format(parcel_id(staff_store)) + "?lang=en").text
    assert '<option value="110101"' in html and "Class I logistics" in html


def test_edit_form_save_changes_parcel_and_redirects_to_its_page(editor_client, staff_store):
    values = {**edit_form(editor_client, parcel_id(staff_store)), "status": "negotiating"}
    response = post(editor_client, staff_store, values)
    assert response.status_code == 302 and response.headers["Location"] == "/parcels/T-001"
    assert staff_store.get("T-001").status == "negotiating"


def test_edit_form_save_is_audited_as_form_by_editor(editor_client, staff_store):
    values = {**edit_form(editor_client, parcel_id(staff_store)), "status": "sold",
              "price_start_wan": "880"}
    post(editor_client, staff_store, values)
    changes = staff_store.changes(ChangeFilter()).changes
    assert sorted((c.field, c.new_value, c.actor, c.source) for c in changes) == [
        ("price_start_wan", 880.0, "eddie", "form"), ("status", "sold", "eddie", "form")]


def test_edit_form_save_shows_confirmation_on_parcel_page(editor_client, staff_store):
    values = {**edit_form(editor_client, parcel_id(staff_store)), "note": "改"}
    post(editor_client, staff_store, values)
    assert "Saved T-001 (version 2)." in editor_client.get("/parcels/T-001?lang=en").text


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("price_start_wan", "-5", "must be a number ≥ 0"),
    ("deposit_wan", "lots", "“lots” is not a number"),
    ("green_max_pct", "120", "must be at most 100"),
    ("lease_years", "99", "must be a whole number from 1 to 70"),
    ("land_use", "0000", "unknown land-use code “0000”"),
    ("code", "", "is required"),
    ("name", "名" * 101, "is longer than 100 characters"),
    ("note", "x" * 2001, "is longer than 2000 characters"),
])
def test_edit_form_bad_value_gets_message_next_to_field(editor_client, staff_store, field,
                                                        typed, message):
    values = {**edit_form(editor_client, parcel_id(staff_store)), field: typed}
    response = post(editor_client, staff_store, values)
    assert response.status_code == 422
    assert field_error(response.text, field) == message


def test_edit_form_bad_value_keeps_everything_typed(editor_client, staff_store):
    values = {**edit_form(editor_client, parcel_id(staff_store)), "deposit_wan": "lots",
              "contact": "王先生 0555-1234567"}
    response = post(editor_client, staff_store, values)
    kept = {k: v for k, v in values.items() if k != "csrf_token"}
    assert {k: v for k, v in form_values(response.text).items() if k in kept} == kept


def test_edit_form_bad_value_saves_nothing(editor_client, staff_store):
    values = {**edit_form(editor_client, parcel_id(staff_store)), "status": "sold",
              "deposit_wan": "-1"}
    post(editor_client, staff_store, values)
    assert staff_store.get("T-001").status == "available"


def test_edit_form_range_minimum_above_maximum_marks_both(editor_client, staff_store):
    values = {**edit_form(editor_client, parcel_id(staff_store)), "far_min": "3", "far_max": "2"}
    html = post(editor_client, staff_store, values).text
    assert field_error(html, "far_min") == "the minimum is larger than the maximum"
    assert field_error(html, "far_max") == "the maximum is smaller than the minimum"


def test_edit_form_bad_field_is_marked_invalid_for_screen_readers(editor_client, staff_store):
    values = {**edit_form(editor_client, parcel_id(staff_store)), "deposit_wan": "x"}
    html = post(editor_client, staff_store, values).text
    assert 'id="f-deposit_wan" name="deposit_wan" aria-invalid="true" ' \
           'aria-describedby="deposit_wan-error"' in html


def test_edit_form_missing_version_is_400(editor_client, staff_store):
    values = {k: v for k, v in edit_form(editor_client, parcel_id(staff_store)).items()
              if k != "version"}
    response = post(editor_client, staff_store, values)
    assert response.status_code == 400 and "version: must be a whole number ≥ 1" in response.text


def test_edit_form_unknown_parcel_is_404(editor_client):
    assert editor_client.get(EDIT.format(999)).status_code == 404


def stale_edit(client, store):
    """Open the form, let someone else save a change, then submit the old form."""
    values = edit_form(client, parcel_id(store))
    store.update_parcel(parcel_id(store), {"status": "sold", "price_start_wan": 500.0}, 1,
                        "ada", "form")
    return post(client, store, {**values, "note": "my note", "deposit_wan": "12"})


def test_edit_form_stale_version_is_409(editor_client, staff_store):
    assert stale_edit(editor_client, staff_store).status_code == 409


def test_edit_form_stale_version_overwrites_nothing(editor_client, staff_store):
    stale_edit(editor_client, staff_store)
    parcel = staff_store.get("T-001")
    assert (parcel.status, parcel.price_start_wan, parcel.note, parcel.version) == (
        "sold", 500.0, None, 2)


def test_conflict_page_shows_their_change_beside_your_input(editor_client, staff_store):
    html = stale_edit(editor_client, staff_store).text
    row = re.search(r'<tr data-field="status"[^>]*>(.*?)</tr>', html, re.S).group(1)
    assert "Available" in row and "Sold" in row and "ada" in row


def test_conflict_page_form_takes_their_values_and_keeps_yours(editor_client, staff_store):
    html = stale_edit(editor_client, staff_store).text
    merged = form_values(html)
    assert (merged["status"], merged["price_start_wan"], merged["note"], merged["deposit_wan"],
            merged["version"]) == ("sold", "500", "my note", "12", "2")


def test_conflict_page_form_saves_the_merge(editor_client, staff_store):
    merged = form_values(stale_edit(editor_client, staff_store).text)
    assert post(editor_client, staff_store, merged).status_code == 302
    parcel = staff_store.get("T-001")
    assert (parcel.status, parcel.note, parcel.deposit_wan) == ("sold", "my note", 12.0)


def test_edit_form_without_version_checks_overwrites_stale(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson", VERSION_CHECKS=False)
    add_staff(app)
    store = app.extensions["landgis.store"]
    client = client_as(app, "editor")
    assert stale_edit(client, store).status_code == 302
    assert store.get("T-001").status == "available"  # the other person's change is lost


def make_draft(client, store, code="T-002"):
    values = {**edit_form(client, parcel_id(store, code)), "published": "false"}
    assert post(client, store, values, code).status_code == 302


def test_draft_parcel_page_is_hidden_from_anonymous(editor_client, staff_store, staff_app):
    make_draft(editor_client, staff_store)
    assert staff_app.test_client().get("/parcels/T-002").status_code == 404


def test_draft_is_missing_from_public_map(editor_client, staff_store, staff_app):
    make_draft(editor_client, staff_store)
    assert "T-002" not in staff_app.test_client().get("/").text


def test_draft_is_missing_from_public_api(editor_client, staff_store, staff_app):
    make_draft(editor_client, staff_store)
    anonymous = staff_app.test_client()
    assert anonymous.get(f"/api/collections/parcels/items/{parcel_id(staff_store, 'T-002')}"
                         ).status_code == 404
    assert "T-002" not in anonymous.get("/api/collections/parcels/items").text


def test_draft_is_missing_from_public_export(editor_client, staff_store, staff_app):
    make_draft(editor_client, staff_store)
    assert "T-002" not in staff_app.test_client().get("/export/parcels.csv").text


def test_draft_is_visible_to_staff_with_badge(editor_client, staff_store, staff_app):
    make_draft(editor_client, staff_store)
    html = client_as(staff_app, "viewer").get("/parcels/T-002?lang=en").text
    assert 'class="draft-badge"' in html


def test_draft_is_on_the_map_for_staff(editor_client, staff_store, staff_app):
    make_draft(editor_client, staff_store)
    assert "T-002" in client_as(staff_app, "viewer").get("/").text


def test_draft_is_in_the_api_for_staff(editor_client, staff_store, staff_app):
    make_draft(editor_client, staff_store)
    item = f"/api/collections/parcels/items/{parcel_id(staff_store, 'T-002')}"
    assert client_as(staff_app, "viewer").get(item).status_code == 200


def test_parcel_page_shows_history_to_staff(editor_client, staff_store):
    post(editor_client, staff_store, {**edit_form(editor_client, parcel_id(staff_store)),
                                      "status": "sold"})
    html = editor_client.get("/parcels/T-001?lang=en").text
    panel = html[html.index('id="staff-panel"'):]
    assert "eddie" in panel and "Available" in panel and "Sold" in panel


def test_parcel_page_hides_history_from_anonymous(editor_client, staff_store, staff_app):
    post(editor_client, staff_store, {**edit_form(editor_client, parcel_id(staff_store)),
                                      "status": "sold"})
    html = staff_app.test_client().get("/parcels/T-001").text
    assert "staff-panel" not in html and "eddie" not in html


def test_parcel_page_offers_edit_link_to_editors_only(staff_app, staff_store):
    link = f'href="/admin/parcels/{parcel_id(staff_store)}/edit"'
    assert link in client_as(staff_app, "editor").get("/parcels/T-001").text
    assert link not in client_as(staff_app, "viewer").get("/parcels/T-001").text


def test_conflict_page_lists_your_own_changes_too(editor_client, staff_store):
    html = stale_edit(editor_client, staff_store).text
    row = re.search(r'<tr data-field="note"[^>]*>(.*?)</tr>', html, re.S).group(1)
    assert "my note" in row and "unchanged" in row
