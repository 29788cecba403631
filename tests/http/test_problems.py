"""Problem lists (问题清单) of projects and parcels: add, edit, solve and reopen, conflicts, bad
input, the audit trail, public problems on the parcel page, hostile text."""

import re
from datetime import timedelta

import pytest

from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff, client_as, csrf_token
from tests.forms import form_values
from tests.hostile import HOSTILE
from tests.http.pages import assert_inert, shows_as_text
from webapp.domain.local_time import district_today
from webapp.domain.pipeline import ProblemFilter

PROBLEM = {"title": "规划审批未完成", "department": "自然资源和规划局", "due_date": "2030-06-30",
           "notes": "内部备注：205 沿江带"}


def parcel_id(store, code="T-001"):
    return store.get(code, include_drafts=True).id


def add_project(store, name="智能装备项目"):
    return store.pipeline.add_project({"name": name, "stage": "signed"}, "eddie")


def post_form(client, path, values):
    return client.post(path + "?lang=en", data={"csrf_token": csrf_token(client, "/admin/weekly"),
                                                **values})


def add_parcel_problem(client, store, **values):
    path = f"/admin/parcels/{parcel_id(store)}/problems"
    return post_form(client, path, {**PROBLEM, **values})


def field_error(html: str, name: str) -> str:
    match = re.search(rf'<p class="field-error" id="problem-{name}-error">([^<]*)</p>', html)
    return match.group(1) if match else ""


def only_problem(store):
    (problem,) = store.pipeline.problems(ProblemFilter())
    return problem


def test_project_problem_add_redirects_to_project_problems(editor_client, staff_store):
    project = add_project(staff_store)
    response = post_form(editor_client, f"/admin/projects/{project.id}/problems", PROBLEM)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/admin/projects/{project.id}#problems"


def test_project_problem_add_stores_it_open_and_not_public(editor_client, staff_store):
    project = add_project(staff_store)
    post_form(editor_client, f"/admin/projects/{project.id}/problems",
              {**PROBLEM, "public": "true"})
    problem = only_problem(staff_store)
    assert (problem.project_id, problem.parcel_code, problem.title, problem.department,
            problem.due_date, problem.status, problem.public) == (
        project.id, None, PROBLEM["title"], PROBLEM["department"], "2030-06-30", "open", False)


def test_project_problem_add_is_audited(editor_client, staff_store):
    project = add_project(staff_store)
    post_form(editor_client, f"/admin/projects/{project.id}/problems", PROBLEM)
    problem = only_problem(staff_store)
    (created,) = staff_store.pipeline.changes("problem", problem.id).records
    assert (created.field, created.actor, created.source) == ("created", "eddie", "form")


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("title", "", "is required"),
    ("department", "局" * 101, "is longer than 100 characters"),
    ("due_date", "next week", "“next week” is not a date like 2026-03-31"),
    ("notes", "n" * 2001, "is longer than 2000 characters"),
])
def test_project_problem_bad_input_shows_form_with_message(editor_client, staff_store, field,
                                                           typed, message):
    project = add_project(staff_store)
    response = post_form(editor_client, f"/admin/projects/{project.id}/problems",
                         {**PROBLEM, field: typed})
    assert response.status_code == 422
    assert field_error(response.text, field) == message
    assert staff_store.pipeline.problems(ProblemFilter()) == []


def test_project_problem_bad_input_keeps_what_was_typed(editor_client, staff_store):
    project = add_project(staff_store)
    response = post_form(editor_client, f"/admin/projects/{project.id}/problems",
                         {**PROBLEM, "title": ""})
    assert form_values(response.text)["department"] == PROBLEM["department"]


@pytest.mark.parametrize("path", ["/admin/projects/999/problems",
                                  f"/admin/projects/{2**70}/problems"])
def test_problem_of_unknown_project_is_not_found(editor_client, path):
    assert post_form(editor_client, path, PROBLEM).status_code == 404


def test_parcel_problem_add_lists_it_on_parcel_problem_page(editor_client, staff_store):
    response = add_parcel_problem(editor_client, staff_store)
    assert response.status_code == 303
    html = editor_client.get(response.headers["Location"] + "?lang=en").text
    assert PROBLEM["title"] in html and PROBLEM["department"] in html
    assert "Problem added" in html


def test_parcel_problem_page_offers_used_departments(editor_client, staff_store):
    add_parcel_problem(editor_client, staff_store, department="花山区住建局")
    html = editor_client.get(f"/admin/parcels/{parcel_id(staff_store)}/problems").text
    assert '<option value="花山区住建局">' in html


def test_parcel_problem_page_has_no_add_form_for_viewer(staff_app, staff_store):
    html = client_as(staff_app, "viewer").get(
        f"/admin/parcels/{parcel_id(staff_store)}/problems").text
    assert 'id="add-problem"' not in html and 'id="parcel-problems-title"' in html


def test_parcel_problem_page_of_draft_parcel_opens(editor_client, staff_store):
    staff_store.update_parcel(parcel_id(staff_store, "T-002"), {"published": False}, None,
                              "eddie", "form")
    assert editor_client.get(
        f"/admin/parcels/{parcel_id(staff_store, 'T-002')}/problems").status_code == 200


@pytest.mark.parametrize("number", ["99999", str(2**63), str(2**70)])
def test_parcel_problem_page_of_unknown_parcel_is_not_found(editor_client, number):
    assert editor_client.get(f"/admin/parcels/{number}/problems").status_code == 404


def test_parcel_problem_bad_public_value_is_refused(editor_client, staff_store):
    response = add_parcel_problem(editor_client, staff_store, public="sometimes")
    assert response.status_code == 422
    assert field_error(response.text, "public") == "must be true or false"


def test_staff_parcel_panel_links_to_problem_list(editor_client, staff_store):
    html = editor_client.get("/parcels/T-001").text
    assert f'href="/admin/parcels/{parcel_id(staff_store)}/problems"' in html


def edit_path(problem) -> str:
    return f"/admin/problems/{problem.id}/edit"


def test_problem_edit_form_has_stored_values(editor_client, staff_store):
    add_parcel_problem(editor_client, staff_store, public="true")
    problem = only_problem(staff_store)
    values = form_values(editor_client.get(edit_path(problem)).text, edit_path(problem))
    assert {k: values[k] for k in ("title", "due_date", "public", "status", "version")} == {
        "title": PROBLEM["title"], "due_date": "2030-06-30", "public": "true", "status": "open",
        "version": "1"}


def test_problem_edit_saves_and_is_audited(editor_client, staff_store):
    add_parcel_problem(editor_client, staff_store)
    problem = only_problem(staff_store)
    values = form_values(editor_client.get(edit_path(problem)).text, edit_path(problem))
    response = post_form(editor_client, edit_path(problem), {**values, "title": "拆迁未完成"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/admin/parcels/{parcel_id(staff_store)}/problems"
    change = staff_store.pipeline.changes("problem", problem.id).records[0]
    assert (change.field, change.old_value, change.new_value, change.actor) == (
        "title", PROBLEM["title"], "拆迁未完成", "eddie")


def test_problem_solve_and_reopen_are_audited(editor_client, staff_store):
    add_parcel_problem(editor_client, staff_store)
    problem = only_problem(staff_store)
    assert post_form(editor_client, edit_path(problem),
                     {"version": "1", "status": "solved"}).status_code == 303
    assert only_problem(staff_store).solved_at is not None
    post_form(editor_client, edit_path(problem), {"version": "2", "status": "open"})
    changes = staff_store.pipeline.changes("problem", problem.id).records
    assert [(c.field, c.old_value, c.new_value) for c in changes[:2]] == [
        ("status", "solved", "open"), ("status", "open", "solved")]
    assert only_problem(staff_store).solved_at is None


def test_problem_list_offers_solve_button_to_editor(editor_client, staff_store):
    add_parcel_problem(editor_client, staff_store)
    html = editor_client.get(f"/admin/parcels/{parcel_id(staff_store)}/problems").text
    assert 'data-action="solve"' in html


def test_problem_stale_edit_gets_conflict_page(editor_client, staff_store):
    add_parcel_problem(editor_client, staff_store)
    problem = only_problem(staff_store)
    values = form_values(editor_client.get(edit_path(problem)).text, edit_path(problem))
    staff_store.pipeline.update_problem(problem.id, {"department": "住建局"}, 1, "vera")
    response = post_form(editor_client, edit_path(problem), {**values, "title": "我的标题"})
    assert response.status_code == 409
    html = response.text
    assert 'id="conflict-title"' in html and "住建局" in html and "我的标题" in html
    assert only_problem(staff_store).title == PROBLEM["title"]


def test_problem_conflict_form_merges_their_change_and_your_input(editor_client, staff_store):
    add_parcel_problem(editor_client, staff_store)
    problem = only_problem(staff_store)
    values = form_values(editor_client.get(edit_path(problem)).text, edit_path(problem))
    staff_store.pipeline.update_problem(problem.id, {"department": "住建局"}, 1, "vera")
    html = post_form(editor_client, edit_path(problem), {**values, "title": "我的标题"}).text
    merged = form_values(html, edit_path(problem))
    assert (merged["title"], merged["department"], merged["version"]) == ("我的标题", "住建局", "2")


def test_problem_stale_solve_gets_conflict_page(editor_client, staff_store):
    add_parcel_problem(editor_client, staff_store)
    problem = only_problem(staff_store)
    staff_store.pipeline.update_problem(problem.id, {"notes": "别人改了"}, 1, "vera")
    response = post_form(editor_client, edit_path(problem), {"version": "1", "status": "solved"})
    assert response.status_code == 409 and only_problem(staff_store).status == "open"


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("title", "", "is required"),
    ("status", "done", "unknown value “done”; use one of open, solved"),
    ("due_date", "2026-13-01", "“2026-13-01” is not a date like 2026-03-31"),
])
def test_problem_edit_bad_input_shows_message(editor_client, staff_store, field, typed, message):
    add_parcel_problem(editor_client, staff_store)
    problem = only_problem(staff_store)
    values = form_values(editor_client.get(edit_path(problem)).text, edit_path(problem))
    response = post_form(editor_client, edit_path(problem), {**values, field: typed})
    assert response.status_code == 422 and field_error(response.text, field) == message
    assert only_problem(staff_store).version == 1


@pytest.mark.parametrize("version", ["", "one", "-1"])
def test_problem_edit_without_valid_version_is_bad_request(editor_client, staff_store, version):
    add_parcel_problem(editor_client, staff_store)
    problem = only_problem(staff_store)
    response = post_form(editor_client, edit_path(problem),
                         {"version": version, "status": "solved"})
    assert response.status_code == 400


@pytest.mark.parametrize("number", ["12345", str(2**70)])
def test_unknown_problem_edit_is_not_found(editor_client, number):
    assert editor_client.get(f"/admin/problems/{number}/edit").status_code == 404


def test_viewer_cannot_add_or_edit_problems(staff_app, staff_store):
    viewer = client_as(staff_app, "viewer")
    assert add_parcel_problem(viewer, staff_store).status_code == 403
    assert staff_store.pipeline.problems(ProblemFilter()) == []


def test_project_page_marks_overdue_problem_in_words(editor_client, staff_store):
    project = add_project(staff_store)
    due = (district_today() - timedelta(days=3)).isoformat()
    post_form(editor_client, f"/admin/projects/{project.id}/problems", {**PROBLEM, "due_date": due})
    html = editor_client.get(f"/admin/projects/{project.id}?lang=en").text
    assert 'id="problems"' in html and "Overdue by 3 days" in html
    assert f'action="/admin/projects/{project.id}/problems"' in html


# Public problems on the parcel page ------------------------------------------------------------

@pytest.fixture(scope="module")
def public_html(tmp_path_factory) -> str:
    """The anonymous T-001 page of an app whose parcels carry a public open problem, a
    staff-only one, a solved public one, and (T-002) another public one."""
    app = make_app(tmp_path_factory.mktemp("public-problems"), DATA / "small.geojson")
    add_staff(app)
    store = app.extensions["landgis.store"]
    editor = client_as(app, "editor")
    add_parcel_problem(editor, store, public="true")
    add_parcel_problem(editor, store, title="内部问题甲")
    add_parcel_problem(editor, store, public="true", title="已解决问题乙")
    (solved,) = [p for p in store.pipeline.problems(ProblemFilter()) if p.title == "已解决问题乙"]
    store.pipeline.update_problem(solved.id, {"status": "solved"}, None, "eddie")
    post_form(editor, f"/admin/parcels/{parcel_id(store, 'T-002')}/problems",
              {**PROBLEM, "public": "true", "title": "别的地块问题"})
    return client_as(app, None).get("/parcels/T-001?lang=en").text


def test_public_parcel_page_shows_public_open_problem_title_and_department(public_html):
    assert 'id="known-issues"' in public_html
    assert PROBLEM["title"] in public_html and PROBLEM["department"] in public_html


def test_public_parcel_page_never_shows_notes_dates_or_staff_names(public_html):
    assert PROBLEM["notes"] not in public_html and "2030-06-30" not in public_html
    assert "eddie" not in public_html


def test_public_parcel_page_hides_staff_only_problems(public_html):
    assert "内部问题甲" not in public_html


def test_public_parcel_page_hides_solved_public_problems(public_html):
    assert "已解决问题乙" not in public_html


def test_public_parcel_page_hides_other_parcels_problems(public_html):
    assert "别的地块问题" not in public_html


def test_public_parcel_page_without_public_problems_has_no_section(client):
    assert 'id="known-issues"' not in client.get("/parcels/T-001").text


# Hostile text ------------------------------------------------------------------------------------

HOSTILE_KEYS = ["jinja_expression", "script_close", "img_onerror", "attribute_break",
                "rtl_override", "javascript_url", "line_separators", "long_text"]


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    """An app with one public problem on T-001 per corpus string, the string in its title,
    department and notes (cut to their limits)."""
    app = make_app(tmp_path_factory.mktemp("hostile-problems"), DATA / "small.geojson")
    add_staff(app)
    editor = client_as(app, "editor")
    for key in HOSTILE_KEYS:
        text = HOSTILE[key]
        response = add_parcel_problem(editor, app.extensions["landgis.store"], title=text[:200],
                                      department=text[:100], notes=text[:2000], public="true")
        assert response.status_code == 303, key
    return app


@pytest.fixture(scope="module")
def hostile_pages(hostile_app) -> dict[str, str]:
    """The pages that list every problem, by path, checked inert once."""
    store = hostile_app.extensions["landgis.store"]
    editor = client_as(hostile_app, "editor")
    pages = {path: editor.get(path).text for path in (
        f"/admin/parcels/{parcel_id(store)}/problems", "/admin/weekly")}
    pages["/parcels/T-001"] = client_as(hostile_app, None).get("/parcels/T-001").text
    for html in pages.values():
        assert_inert(html)
    return pages


def hostile_problem(app, key):
    text = HOSTILE[key][:200].strip()
    (found,) = [p for p in app.extensions["landgis.store"].pipeline.problems(ProblemFilter())
                if p.title == text]
    return found


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_problem_hostile_text_is_stored_verbatim(hostile_app, key):
    text = HOSTILE[key]
    problem = hostile_problem(hostile_app, key)
    assert (problem.department, problem.notes) == (text[:100].strip(), text[:2000].strip())


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_problem_lists_show_hostile_text_as_text(hostile_app, hostile_pages, key):
    problem = hostile_problem(hostile_app, key)
    for path, html in hostile_pages.items():
        assert shows_as_text(html, problem.title), path
        assert shows_as_text(html, problem.department), path


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_problem_edit_page_shows_hostile_text_as_text(hostile_app, key):
    problem = hostile_problem(hostile_app, key)
    html = client_as(hostile_app, "editor").get(edit_path(problem)).text
    assert_inert(html)
    assert shows_as_text(html, problem.title) and shows_as_text(html, problem.notes)
