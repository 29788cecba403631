"""The district change log (filters, pages) and an admin restoring an earlier value."""

import re

import pytest

from tests.editing_fixtures import client_as, form_values
from tests.store.conftest import prepared_small
from webapp.domain.audit import ChangeFilter


def edit(store, code, changes, actor="eddie", source="form"):
    parcel = store.get(code, include_drafts=True)
    return store.update_parcel(parcel.id, changes, parcel.version, actor, source)


@pytest.fixture
def history(staff_store):
    """Three changes to two parcels by two people."""
    edit(staff_store, "T-001", {"status": "negotiating"})
    edit(staff_store, "T-001", {"price_start_wan": 800.0}, actor="ada", source="api")
    edit(staff_store, "T-002", {"note": "路边"})
    return staff_store


def listed_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-change-id="(\d+)"', html)]


def test_change_log_lists_every_change_newest_first(viewer_client, history):
    html = viewer_client.get("/admin/changes").text
    assert listed_ids(html) == [c.id for c in history.changes(ChangeFilter()).changes]
    assert 'data-count="3"' in html


@pytest.mark.parametrize(("query", "count"), [
    ("parcel=T-001", 2), ("field=note", 1), ("actor=ada", 1), ("source=api", 1),
    ("since=2000-01-01&until=2999-12-31", 3), ("until=2000-01-01", 0)])
def test_change_log_filters(viewer_client, history, query, count):
    assert len(listed_ids(viewer_client.get(f"/admin/changes?{query}").text)) == count


@pytest.mark.parametrize(("query", "message"), [
    ("field=colour", "field: unknown field “colour”"),
    ("source=fax", "source: unknown source “fax”; use one of form, api, import, restore"),
    ("since=01.02.2025", "since: “01.02.2025” is not a date like 2025-03-31"),
    ("page=0", "page: must be a whole number ≥ 1"),
])
def test_change_log_bad_filter_is_400_with_message(viewer_client, query, message):
    response = viewer_client.get(f"/admin/changes?{query}&lang=en")
    assert response.status_code == 400 and message in response.text


def test_change_log_pages_by_fifty(viewer_client, staff_store):
    for number in range(55):
        edit(staff_store, "T-003", {"note": f"n{number}"})
    first = viewer_client.get("/admin/changes").text
    second = viewer_client.get("/admin/changes?page=2").text
    assert (len(listed_ids(first)), len(listed_ids(second))) == (50, 5)
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_change_log_shows_restore_buttons_to_admins_only(staff_app, history):
    assert "/restore" in client_as(staff_app, "admin").get("/admin/changes").text
    assert "/restore" not in client_as(staff_app, "editor").get("/admin/changes").text


def restore(client, change_id):
    page = client.get(f"/admin/changes/{change_id}/restore").text
    return client.post(f"/admin/changes/{change_id}/restore?lang=en",
                       data=form_values(page, f"/admin/changes/{change_id}/restore"))


def first_change(store, field):
    return store.changes(ChangeFilter(field=field)).changes[-1]


def test_restore_page_shows_current_and_earlier_value(admin_client, history):
    change = first_change(history, "status")
    html = admin_client.get(f"/admin/changes/{change.id}/restore?lang=en").text
    assert re.search(r'id="current-value">Under negotiation<', html)
    assert re.search(r'id="restore-value"><strong>Available<', html)


def test_restore_puts_earlier_value_back(admin_client, history):
    response = restore(admin_client, first_change(history, "status").id)
    assert response.status_code == 302 and history.get("T-001").status == "available"


def test_restore_is_itself_audited(admin_client, history):
    restore(admin_client, first_change(history, "status").id)
    latest = history.changes(ChangeFilter()).changes[0]
    assert (latest.field, latest.old_value, latest.new_value, latest.actor, latest.source) == (
        "status", "negotiating", "available", "ada", "restore")


def test_restore_of_empty_earlier_value_clears_field(admin_client, history):
    restore(admin_client, first_change(history, "note").id)
    assert history.get("T-002").note is None


def test_restore_after_parcel_changed_again_is_409(admin_client, history):
    change = first_change(history, "status")
    page = admin_client.get(f"/admin/changes/{change.id}/restore").text
    edit(history, "T-001", {"status": "sold"})
    response = admin_client.post(f"/admin/changes/{change.id}/restore?lang=en",
                                 data=form_values(page, f"/admin/changes/{change.id}/restore"))
    assert response.status_code == 409 and history.get("T-001").status == "sold"
    assert "The parcel changed after you opened this page" in response.text


def test_restore_of_computed_field_is_not_offered(admin_client, staff_store):
    frame = prepared_small()  # an import that changes a computed area
    frame.loc[frame["code"] == "T-001", "area_m2"] = 1.0
    staff_store.replace_all(frame)
    change = staff_store.changes(ChangeFilter(field="area_m2")).changes[0]
    html = admin_client.get(f"/admin/changes/{change.id}/restore?lang=en").text
    assert "cannot be restored" in html and 'action="/admin/changes' not in html


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_restore_needs_admin(staff_app, history, role):
    change = first_change(history, "status")
    client = client_as(staff_app, role)
    assert client.get(f"/admin/changes/{change.id}/restore").status_code == 403


def test_restore_unknown_change_is_404(admin_client):
    assert admin_client.get("/admin/changes/999/restore").status_code == 404
