"""The pipeline's staff flow on a PostGIS store: an enquiry made a project, edited to signed
with a stale second edit refused, and its parcel's status confirmed (audited, source project)."""

from tests.editing_fixtures import add_staff, client_as
from tests.http.project_steps import add_enquiry, post_form, project_form, store_of
from webapp.domain.audit import ChangeFilter


def test_postgis_enquiry_to_project_to_parcel_status(pg_app):
    add_staff(pg_app)
    editor = client_as(pg_app, "editor")
    enquiry = add_enquiry(pg_app, parcel_codes=("T-001",))
    assert enquiry.reference in editor.get("/admin/enquiries").get_data(as_text=True)
    response = post_form(editor, f"/admin/enquiries/{enquiry.id}/project", {})
    project_id = int(response.headers["Location"].rsplit("/", 1)[1])
    opened = project_form(editor, project_id)
    response = editor.post(f"/admin/projects/{project_id}/edit",
                           data={**opened, "stage": "signed"})
    assert response.headers["Location"].endswith("/parcel-status")
    stale = editor.post(f"/admin/projects/{project_id}/edit", data={**opened, "jobs": "9"})
    assert stale.status_code == 409
    store = store_of(pg_app)
    parcel = store.get("T-001", include_drafts=True)
    response = post_form(editor, f"/admin/projects/{project_id}/parcel-status",
                         {"parcel": str(parcel.id), f"version-{parcel.id}": str(parcel.version)})
    assert response.status_code == 303
    change = store.changes(ChangeFilter(parcel_id=parcel.id), limit=1).changes[0]
    assert (change.new_value, change.source) == ("sold", "project")
    history = store.pipeline.changes("project", project_id).records
    assert {c.field for c in history} >= {"created", "stage"}
