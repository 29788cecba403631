"""The weekly scheduling view (周调度): the issue's acceptance — a problem added to a signed project
with a past due date comes first under its department and in the signed-but-not-started list with
the project's waiting time, and solving it is audited — plus its layout for phone and print."""

import re
from datetime import timedelta

import pytest

from tests.editing_fixtures import add_staff, client_as, csrf_token
from webapp.domain.local_time import district_today
from webapp.domain.pipeline import Problem, ProblemFilter, Project, ProjectFilter

TODAY = district_today()


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def project(id_, name, stage, stage_since, signed_on=None):
    return Project(id=id_, name=name, company=f"{name}公司", contact=None,
                   industry="new_materials", investment_wan=12000.0, jobs=80, stage=stage,
                   stage_since=stage_since, signed_on=signed_on, started_on=None,
                   drop_reason=None, street=None, parcel_codes=("T-001",), owner="eddie",
                   next_action=None, next_action_due=None, enquiry_id=None,
                   created_at="2025-01-01T00:00:00Z", updated_at="2025-01-01T00:00:00Z")


def problem(id_, title, department, due, project_id=None, parcel_code=None):
    return Problem(id=id_, project_id=project_id, parcel_code=parcel_code, title=title,
                   department=department, due_date=due, status="open", notes=None,
                   public=False, created_at="2025-06-01T00:00:00Z",
                   updated_at="2025-06-01T00:00:00Z", solved_at=None)


@pytest.fixture
def pipeline_app(staff_app):
    """staff_app with a signed project waiting 40 days, one negotiating for 75 days and two open
    problems due in the future under another department."""
    store = staff_app.extensions["landgis.store"]
    store.pipeline.load_records(
        [], [project(1, "新材料签约项目", "signed", day(-40), signed_on=day(-40)),
             project(2, "物流洽谈项目", "negotiating", day(-75))], [],
        [problem(1, "供电接入", "供电公司", day(20), project_id=2),
         problem(2, "历史遗留问题", "供电公司", day(5), parcel_code="T-002")], "loader")
    return staff_app


def signed_project(app) -> Project:
    store = app.extensions["landgis.store"]
    (found,) = store.pipeline.projects(ProjectFilter(stages=("signed",))).records
    return found


def weekly_html(client) -> str:
    response = client.get("/admin/weekly?lang=en")
    assert response.status_code == 200
    return response.text


def departments(html: str) -> list[str]:
    return re.findall(r'<section class="department" data-department="([^"]*)"', html)


def first_problem_row(html: str) -> str:
    return re.search(r'<tr data-problem-id="\d+"[^>]*>.*?</tr>', html, re.S).group(0)


def section(html: str, table_id: str) -> str:
    return re.search(rf'<table class="weekly-table" id="{table_id}">.*?</table>', html,
                     re.S).group(0)


def add_overdue_problem(client, project_id: int):
    return client.post(f"/admin/projects/{project_id}/problems?lang=en", data={
        "csrf_token": csrf_token(client, "/admin/weekly"), "title": "规划许可未批",
        "department": "自然资源和规划局", "due_date": day(-10), "notes": ""})


def test_weekly_overdue_project_problem_comes_first_under_its_department(pipeline_app):
    editor = client_as(pipeline_app, "editor")
    assert add_overdue_problem(editor, signed_project(pipeline_app).id).status_code == 303
    html = weekly_html(editor)
    assert departments(html) == ["自然资源和规划局", "供电公司"]
    row = first_problem_row(html)
    assert "规划许可未批" in row and "Overdue by 10 days" in row and "新材料签约项目" in row


def test_weekly_lists_signed_project_with_waiting_time_and_problem(pipeline_app):
    editor = client_as(pipeline_app, "editor")
    add_overdue_problem(editor, signed_project(pipeline_app).id)
    signed = section(weekly_html(editor), "signed-table")
    assert "新材料签约项目" in signed and "40 days" in signed and "规划许可未批" in signed
    assert day(-40) in signed


def test_weekly_solving_the_problem_is_audited_and_clears_it(pipeline_app):
    editor = client_as(pipeline_app, "editor")
    add_overdue_problem(editor, signed_project(pipeline_app).id)
    store = pipeline_app.extensions["landgis.store"]
    (added,) = store.pipeline.problems(ProblemFilter(department="自然资源和规划局"))
    response = editor.post(f"/admin/problems/{added.id}/edit", data={
        "csrf_token": csrf_token(editor, "/admin/weekly"), "version": str(added.version),
        "status": "solved"})
    assert response.status_code == 303
    change = store.pipeline.changes("problem", added.id).records[0]
    assert (change.field, change.old_value, change.new_value, change.actor) == (
        "status", "open", "solved", "eddie")
    assert departments(weekly_html(editor)) == ["供电公司"]


def test_weekly_lists_negotiating_project_with_waiting_time(pipeline_app):
    negotiated = section(weekly_html(client_as(pipeline_app, "viewer")), "negotiated-table")
    assert "物流洽谈项目" in negotiated and "75 days" in negotiated and "供电接入" in negotiated


def test_weekly_shows_parcel_problem_with_link_to_parcel_list(pipeline_app):
    store = pipeline_app.extensions["landgis.store"]
    html = weekly_html(client_as(pipeline_app, "viewer"))
    assert f'href="/admin/parcels/{store.get("T-002").id}/problems"' in html


def test_weekly_orders_department_problems_by_due_date(pipeline_app):
    html = weekly_html(client_as(pipeline_app, "viewer"))
    assert html.index("历史遗留问题") < html.index("供电接入")


def test_weekly_without_records_says_so(staff_app):
    html = weekly_html(client_as(staff_app, "viewer"))
    assert "No open problems." in html and "No projects." in html


def test_weekly_is_printable_and_fits_a_phone(staff_app):
    html = weekly_html(client_as(staff_app, "viewer"))
    assert "/static/landgis/problems.css" in html
    css = client_as(staff_app, None).get("/static/landgis/problems.css").text
    assert "@media print" in css and "@media screen and (max-width: 640px)" in css


def test_weekly_in_chinese_names_the_report_lists(staff_app):
    html = client_as(staff_app, "viewer").get("/admin/weekly?lang=zh").text
    assert "周调度" in html and "已谈未签" in html and "已签约未开工" in html


def test_weekly_needs_a_login(staff_app):
    response = client_as(staff_app, None).get("/admin/weekly")
    assert response.status_code in (302, 401)


def test_weekly_acceptance_on_postgis(pg_app):
    """The same flow on a PostGIS store: first under its department, in the signed list with
    its waiting time, solving audited."""
    add_staff(pg_app)
    store = pg_app.extensions["landgis.store"]
    store.pipeline.load_records([], [project(1, "新材料签约项目", "signed", day(-40),
                                             signed_on=day(-40))], [], [], "loader")
    editor = client_as(pg_app, "editor")
    assert add_overdue_problem(editor, signed_project(pg_app).id).status_code == 303
    html = weekly_html(editor)
    assert departments(html) == ["自然资源和规划局"] and "40 days" in section(html, "signed-table")
    (added,) = store.pipeline.problems(ProblemFilter())
    editor.post(f"/admin/problems/{added.id}/edit", data={
        "csrf_token": csrf_token(editor, "/admin/weekly"), "version": "1", "status": "solved"})
    change = store.pipeline.changes("problem", added.id).records[0]
    assert (change.field, change.new_value, change.actor) == ("status", "solved", "eddie")
