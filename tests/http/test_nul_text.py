"""A NUL character in any staff form's text is refused with a message (422), never a 500, and
nothing is stored: PostgreSQL text cannot hold it, so both stores refuse it alike."""

import pytest

from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff, client_as, edit_form
from tests.http.project_steps import add_project, post_form, project_form, store_of
from webapp.domain.audit import ChangeFilter


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("nul"), DATA / "small.geojson")
    add_staff(app)
    return app


def pipeline_state(app) -> tuple:
    store = store_of(app)
    return (store.pipeline.changes().number_matched,
            store.changes(ChangeFilter()).number_matched)


@pytest.mark.parametrize("form", ["project edit", "new project", "note", "problem",
                                  "parcel edit"])
def test_nul_in_text_is_refused(app, form):
    client = client_as(app, "admin")
    project = add_project(app)
    before = pipeline_state(app)
    if form == "project edit":
        response = post_form(client, f"/admin/projects/{project.id}/edit",
                             {**project_form(client, project.id), "name": "甲\x00乙"})
    elif form == "new project":
        response = post_form(client, "/admin/projects/new", {"name": "甲\x00乙", "stage": "lead"})
    elif form == "note":
        response = post_form(client, f"/admin/projects/{project.id}/notes", {"text": "甲\x00乙"})
    elif form == "problem":
        response = post_form(client, f"/admin/projects/{project.id}/problems",
                             {"title": "甲\x00乙", "department": "住建局"})
    else:
        response = client.post("/admin/parcels/1/edit",
                               data={**edit_form(client, 1), "note": "甲\x00乙"})
    assert response.status_code == 422
    assert "NUL" in response.get_data(as_text=True)  # the message names it, in either language
    assert pipeline_state(app) == before
