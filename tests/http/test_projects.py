"""The enquiry inbox and projects (issue 17): inbox, enquiry page, an enquiry made a project,
new and edited projects with versions, conflicts, bad input, notes."""

import re

import pytest

from tests.forms import form_values
from tests.http.pages import NONCE, inline_scripts, islands
from tests.http.project_steps import (
    add_enquiry,
    add_project,
    post_form,
    project_form,
    store_of,
)
from webapp.domain.local_time import district_time_text


def field_error(html: str, name: str) -> str:
    match = re.search(rf'<p class="field-error" id="{name}-error">([^<]*)</p>', html)
    return match.group(1) if match else ""


def test_inbox_lists_new_enquiry_with_beijing_time(staff_app, viewer_client):
    enquiry = add_enquiry(staff_app)
    html = viewer_client.get("/admin/enquiries?lang=en").get_data(as_text=True)
    row = html[html.index(f'data-enquiry-id="{enquiry.id}"'):]
    row = row[:row.index("</tr>")]
    received = district_time_text(enquiry.received_at)
    assert received != enquiry.received_at[:16].replace("T", " ")  # UTC+8, not UTC
    for text in (received, enquiry.reference, "马鞍山智造有限公司", "T-001, T-002",
                 "Intelligent equipment", "12,000", "New"):
        assert text in row


def test_inbox_closed_filter_hides_new_enquiry(staff_app, viewer_client):
    enquiry = add_enquiry(staff_app)
    html = viewer_client.get("/admin/enquiries?status=closed").get_data(as_text=True)
    assert f'data-enquiry-id="{enquiry.id}"' not in html


@pytest.mark.parametrize("query", ["status=spam", "page=0", "page=x"])
def test_inbox_bad_parameter_is_400(viewer_client, query):
    response = viewer_client.get(f"/admin/enquiries?{query}&lang=en")
    assert response.status_code == 400
    assert ("status" if "status" in query else "page") in response.get_data(as_text=True)


def test_enquiry_page_links_parcels_and_requirement(staff_app, viewer_client):
    enquiry = add_enquiry(staff_app)
    html = viewer_client.get(f"/admin/enquiries/{enquiry.id}").get_data(as_text=True)
    assert 'href="/parcels/T-001"' in html and 'href="/parcels/T-002"' in html
    assert 'href="/select?land_use=1001&amp;min_mu=10"' in html
    assert "13812345678" in html and "zhang@example.cn" in html
    assert 'id="make-project"' not in html  # a viewer reads only


@pytest.mark.parametrize("enquiry_id", ["999", "99999999999999999999999"])
def test_unknown_enquiry_is_404(viewer_client, enquiry_id):
    assert viewer_client.get(f"/admin/enquiries/{enquiry_id}").status_code == 404


def test_enquiry_marked_read(staff_app, editor_client):
    enquiry = add_enquiry(staff_app)
    response = post_form(editor_client, f"/admin/enquiries/{enquiry.id}/status",
                         {"status": "read", "version": str(enquiry.version)})
    assert response.status_code == 303
    assert store_of(staff_app).pipeline.enquiry(enquiry.id).status == "read"


def test_enquiry_status_stale_version_is_409(staff_app, editor_client):
    enquiry = add_enquiry(staff_app)
    store_of(staff_app).pipeline.update_enquiry(enquiry.id, {"status": "read"}, None, "ada")
    response = post_form(editor_client, f"/admin/enquiries/{enquiry.id}/status",
                         {"status": "closed", "version": str(enquiry.version)})
    assert response.status_code == 409
    assert store_of(staff_app).pipeline.enquiry(enquiry.id).status == "read"


def test_enquiry_status_unknown_value_is_400(staff_app, editor_client):
    enquiry = add_enquiry(staff_app)
    response = post_form(editor_client, f"/admin/enquiries/{enquiry.id}/status",
                         {"status": "converted", "version": "1"})
    assert response.status_code == 400


def test_enquiry_becomes_project_in_one_step(staff_app, editor_client):
    enquiry = add_enquiry(staff_app)
    response = post_form(editor_client, f"/admin/enquiries/{enquiry.id}/project", {})
    assert response.status_code == 303
    stored = store_of(staff_app).pipeline.enquiry(enquiry.id)
    assert stored.status == "converted" and stored.project_id
    assert response.headers["Location"].endswith(f"/admin/projects/{stored.project_id}")
    project = store_of(staff_app).pipeline.project(stored.project_id)
    assert (project.name, project.stage, project.parcel_codes, project.industry,
            project.investment_wan, project.enquiry_id) == (
        "马鞍山智造有限公司", "lead", ("T-001", "T-002"), "intelligent_equipment", 12000.0,
        enquiry.id)
    assert "13812345678" in project.contact


def test_enquiry_made_project_twice_is_409(staff_app, editor_client):
    enquiry = add_enquiry(staff_app)
    post_form(editor_client, f"/admin/enquiries/{enquiry.id}/project", {})
    response = post_form(editor_client, f"/admin/enquiries/{enquiry.id}/project", {})
    assert response.status_code == 409
    page = store_of(staff_app).pipeline.changes("project")
    assert sum(c.field == "created" for c in page.records) == 1


def test_viewer_cannot_make_a_project(staff_app, viewer_client):
    enquiry = add_enquiry(staff_app)
    response = post_form(viewer_client, f"/admin/enquiries/{enquiry.id}/project", {})
    assert response.status_code == 403


def new_project_values(**changes) -> dict[str, str]:
    values = {"name": "新材料项目", "company": "某公司", "contact": "李四 0555-2345678",
              "industry": "new_materials", "investment_wan": "3,000", "jobs": "40",
              "stage": "lead", "drop_reason": "", "street": "塘西街道",
              "parcel_codes": "T-003, T-004", "owner": "eddie",
              "next_action": "约谈企业", "next_action_due": "2026-12-31"}
    return {**values, **changes}


def test_new_project_is_created_and_audited(staff_app, editor_client):
    response = post_form(editor_client, "/admin/projects/new", new_project_values())
    assert response.status_code == 303
    project_id = int(response.headers["Location"].rsplit("/", 1)[1])
    project = store_of(staff_app).pipeline.project(project_id)
    assert (project.investment_wan, project.jobs, project.parcel_codes, project.owner) == (
        3000.0, 40, ("T-003", "T-004"), "eddie")
    changes = store_of(staff_app).pipeline.changes("project", project_id).records
    assert [(c.field, c.actor) for c in changes] == [("created", "eddie")]


@pytest.mark.parametrize(("name", "value", "message"), [
    ("name", "", "is required"),
    ("name", "长" * 101, "longer than 100"),
    ("investment_wan", "-1", "≥ 0"),
    ("investment_wan", "lots", "not a number"),
    ("jobs", "1.5", "whole number"),
    ("stage", "won", "unknown value"),
    ("industry", "mining", "unknown value"),
    ("next_action_due", "2026-13-01", "not a date"),
    ("next_action_due", "31.12.2026", "not a date"),
    ("owner", "mallory", "not an active staff account"),
    ("parcel_codes", "T-001 NOPE-9", "NOPE-9"),
])
def test_new_project_bad_value_is_422_with_message(editor_client, name, value, message):
    response = post_form(editor_client, "/admin/projects/new?lang=en",
                         new_project_values(**{name: value}))
    assert response.status_code == 422
    assert message in field_error(response.get_data(as_text=True), name)


def test_dropped_project_needs_a_reason(editor_client):
    response = post_form(editor_client, "/admin/projects/new?lang=en",
                         new_project_values(stage="dropped"))
    assert response.status_code == 422
    assert "required" in field_error(response.get_data(as_text=True), "drop_reason")


def test_edit_saves_and_history_shows_old_and_new_names(staff_app, editor_client):
    project = add_project(staff_app)
    values = {**project_form(editor_client, project.id), "stage": "negotiating",
              "next_action": "报价"}
    response = editor_client.post(f"/admin/projects/{project.id}/edit", data=values)
    assert response.status_code == 303
    saved = store_of(staff_app).pipeline.project(project.id)
    assert (saved.stage, saved.next_action, saved.version) == ("negotiating", "报价", 2)
    fields = {c.field: c for c in store_of(staff_app).pipeline.changes("project", project.id)
              .records}
    assert (fields["stage"].old_value, fields["stage"].new_value,
            fields["stage"].actor) == ("lead", "negotiating", "eddie")
    html = editor_client.get(f"/admin/projects/{project.id}?lang=en").get_data(as_text=True)
    history = html[html.index('id="project-history"'):]
    row = history[history.index('data-field="stage"'):]
    row = row[:row.index("</tr>")]
    assert "Lead" in row and "Negotiating" in row and "eddie" in row


def test_stale_edit_gets_conflict_page_with_both_values(staff_app, editor_client):
    project = add_project(staff_app, next_action="旧的")
    stale = project_form(editor_client, project.id)
    store_of(staff_app).pipeline.update_project(project.id, {"next_action": "他们的"}, None,
                                                "ada")
    response = editor_client.post(f"/admin/projects/{project.id}/edit?lang=en",
                                  data={**stale, "next_action": "我的"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    row = html[html.index('data-field="next_action"'):]
    row = row[:row.index("</tr>")]
    assert "旧的" in row and "他们的" in row and "我的" in row and "ada" in row
    assert store_of(staff_app).pipeline.project(project.id).next_action == "他们的"
    merged = form_values(html, f"/admin/projects/{project.id}/edit")
    assert (merged["version"], merged["next_action"]) == ("2", "我的")


def test_stale_edit_saves_when_version_checks_are_off(staff_app, editor_client):
    staff_app.config["VERSION_CHECKS"] = False
    project = add_project(staff_app)
    stale = project_form(editor_client, project.id)
    store_of(staff_app).pipeline.update_project(project.id, {"jobs": 5}, None, "ada")
    response = editor_client.post(f"/admin/projects/{project.id}/edit",
                                  data={**stale, "next_action": "我的"})
    assert response.status_code == 303


def test_edit_bad_value_keeps_input_and_saves_nothing(staff_app, editor_client):
    project = add_project(staff_app)
    values = {**project_form(editor_client, project.id), "jobs": "-3", "company": "新公司"}
    response = editor_client.post(f"/admin/projects/{project.id}/edit?lang=en", data=values)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, "jobs") and 'value="新公司"' in html
    assert store_of(staff_app).pipeline.project(project.id).version == 1


@pytest.mark.parametrize("path", ["/admin/projects/999", "/admin/projects/999/edit",
                                  "/admin/projects/99999999999999999999999"])
def test_unknown_project_is_404(editor_client, path):
    assert editor_client.get(path).status_code == 404


def test_note_is_added_to_the_log(staff_app, editor_client):
    project = add_project(staff_app)
    response = post_form(editor_client, f"/admin/projects/{project.id}/notes",
                         {"text": "企业来访"})
    assert response.status_code == 303
    html = editor_client.get(f"/admin/projects/{project.id}").get_data(as_text=True)
    assert "企业来访" in html[html.index('id="notes"'):]


@pytest.mark.parametrize("text", ["", "   ", "长" * 2001])
def test_bad_note_is_422(staff_app, editor_client, text):
    project = add_project(staff_app)
    response = post_form(editor_client, f"/admin/projects/{project.id}/notes", {"text": text})
    assert response.status_code == 422
    assert store_of(staff_app).pipeline.notes(project.id) == []


def test_project_page_maps_its_parcels_without_cdn(staff_app, viewer_client):
    project = add_project(staff_app, parcel_codes=("T-001", "T-002"))
    response = viewer_client.get(f"/admin/projects/{project.id}")
    html = response.get_data(as_text=True)
    assert 'href="/parcels/T-001"' in html and 'href="/parcels/T-002"' in html
    features = islands(html)["map_project-parcels"]["data"]["features"]
    assert sorted(f["properties"]["code"] for f in features) == ["T-001", "T-002"]
    assert set(re.findall(r'(?:src|href)="(https?://[^"]+)"', html)) == set()
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert inline_scripts(html) and all(NONCE.search(attributes).group(1) == nonce
                                        for attributes, _body in inline_scripts(html))


def test_staff_bar_counts_new_enquiries(staff_app, viewer_client):
    add_enquiry(staff_app)
    add_enquiry(staff_app)
    html = viewer_client.get("/admin/projects?lang=en").get_data(as_text=True)
    assert "Enquiries (2 new)" in html

