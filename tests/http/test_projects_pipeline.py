"""The pipeline list (issue 17): filters, the board, overdue next actions, the parcel statuses
a stage change proposes and their confirmation, the CSV export and the figures page."""

import csv
import io
from datetime import timedelta
from unittest.mock import ANY

import pytest

from tests.forms import form_values
from tests.http.project_steps import add_project, post_form, project_form, store_of
from webapp.domain.audit import ChangeFilter
from webapp.domain.local_time import district_today


def row_of(html: str, project_id: int) -> str:
    """The table row or board card of one project."""
    start = html.index(f'data-project-id="{project_id}"')
    ends = [html.find(tag, start) for tag in ("</tr>", "</article>")]
    return html[start:min(end for end in ends if end > 0)]


@pytest.fixture
def projects(staff_app):
    """Three projects: a lead, a negotiating one owned by eddie, a signed one in 塘西街道."""
    return [add_project(staff_app, name="甲", industry="software"),
            add_project(staff_app, name="乙", stage="negotiating", owner="eddie",
                        industry="logistics"),
            add_project(staff_app, name="丙", stage="signed", street="塘西街道",
                        industry="logistics")]


def listed(client, query: str) -> set[str]:
    html = client.get(f"/admin/projects?{query}").get_data(as_text=True)
    return {name for name in ("甲", "乙", "丙") if f">{name}</a>" in html}


@pytest.mark.parametrize(("query", "names"), [
    ("", {"甲", "乙", "丙"}),
    ("stage=negotiating", {"乙"}),
    ("stage=lead&stage=signed", {"甲", "丙"}),
    ("owner=eddie", {"乙"}),
    ("industry=logistics", {"乙", "丙"}),
    ("street=塘西街道", {"丙"}),
    ("industry=logistics&stage=signed", {"丙"}),
])
def test_pipeline_filters(viewer_client, projects, query, names):
    assert listed(viewer_client, query) == names


@pytest.mark.parametrize(("query", "parameter"), [
    ("stage=won", "stage"), ("owner=nobody", "owner"), ("industry=mining", "industry"),
    ("view=grid", "view"), ("street=" + "长" * 101, "street"), ("owner=eddie&owner=ada", "owner"),
])
def test_pipeline_bad_filter_is_400_with_message(viewer_client, query, parameter):
    response = viewer_client.get(f"/admin/projects?{query}&lang=en")
    assert response.status_code == 400
    assert f"{parameter}:" in response.get_data(as_text=True)


def test_board_puts_each_project_in_its_stage_column(viewer_client, projects):
    html = viewer_client.get("/admin/projects?view=board").get_data(as_text=True)
    columns = html.split('class="board-column')[1:]
    assert [c[c.index("stage-") + 6:c.index('"')] for c in columns] == [
        "lead", "negotiating", "signed", "started", "producing", "dropped"]
    by_stage = {c[c.index("stage-") + 6:c.index('"')]: c for c in columns}
    assert ">乙</a>" in by_stage["negotiating"] and ">乙</a>" not in by_stage["lead"]
    assert ">丙</a>" in by_stage["signed"]


def test_overdue_next_action_is_marked_with_text(staff_app, viewer_client):
    yesterday = (district_today() - timedelta(days=1)).isoformat()
    tomorrow = (district_today() + timedelta(days=1)).isoformat()
    late = add_project(staff_app, name="迟", next_action="回访", next_action_due=yesterday)
    on_time = add_project(staff_app, name="准", next_action="回访", next_action_due=tomorrow)
    dropped = add_project(staff_app, name="停", stage="dropped", drop_reason="撤资",
                          next_action_due=yesterday)
    for view in ("table", "board"):
        html = viewer_client.get(f"/admin/projects?view={view}&lang=en").get_data(as_text=True)
        assert "Overdue" in row_of(html, late.id)
        assert "Overdue" not in row_of(html, on_time.id)
        assert "Overdue" not in row_of(html, dropped.id)


def test_stage_change_proposes_and_applies_parcel_status(staff_app, editor_client, client):
    store = store_of(staff_app)
    project = add_project(staff_app, parcel_codes=("T-001", "T-003"))  # available, sold
    values = {**project_form(editor_client, project.id), "stage": "negotiating"}
    response = editor_client.post(f"/admin/projects/{project.id}/edit", data=values)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/admin/projects/{project.id}/parcel-status")
    html = editor_client.get(f"/admin/projects/{project.id}/parcel-status?lang=en") \
        .get_data(as_text=True)
    t001 = store.get("T-001", include_drafts=True)
    assert f'data-parcel-id="{t001.id}"' in html and "Under negotiation" in html
    t003 = store.get("T-003", include_drafts=True)
    assert form_values(html, f"/admin/projects/{project.id}/parcel-status") == {
        "csrf_token": ANY, "parcel": str(t001.id), f"version-{t001.id}": str(t001.version)}
    assert f'data-parcel-id="{t003.id}"' not in html  # a sold parcel is not proposed back
    response = post_form(editor_client, f"/admin/projects/{project.id}/parcel-status",
                         {"parcel": str(t001.id), f"version-{t001.id}": str(t001.version)})
    assert response.status_code == 303
    change = store.changes(ChangeFilter(parcel_id=t001.id), limit=1).changes[0]
    assert (change.field, change.old_value, change.new_value, change.source, change.actor) == (
        "status", "available", "negotiating", "project", "eddie")
    item = client.get(f"/api/collections/parcels/items/{t001.id}").get_json()
    assert item["properties"]["status"] == "negotiating"
    page = editor_client.get(f"/admin/projects/{project.id}?lang=en").get_data(as_text=True)
    history = page.split('id="parcel-status-history"')[1].split("</section>")[0]
    assert "T-001" in history and "Under negotiation" in history and "T-003" not in history


def test_parcel_changed_meanwhile_gives_conflict_message(staff_app, editor_client):
    store = store_of(staff_app)
    project = add_project(staff_app, stage="signed", parcel_codes=("T-001",))
    t001 = store.get("T-001", include_drafts=True)
    store.update_parcel(t001.id, {"name": "改名"}, None, "ada", "form")
    response = post_form(editor_client, f"/admin/projects/{project.id}/parcel-status?lang=en",
                         {"parcel": str(t001.id), f"version-{t001.id}": str(t001.version)})
    assert response.status_code == 409
    assert "T-001 changed after you opened this page" in response.get_data(as_text=True)
    assert store.get("T-001", include_drafts=True).status == "available"


def test_parcel_status_page_needs_an_editor(staff_app, viewer_client):
    project = add_project(staff_app, stage="signed", parcel_codes=("T-001",))
    assert viewer_client.get(f"/admin/projects/{project.id}/parcel-status").status_code == 403


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_export_names_headers_and_filters(staff_app, viewer_client, projects):
    add_project(staff_app, name="=HYPERLINK(\"http://evil.example\")", company="+cmd",
                stage="negotiating", industry="logistics")
    response = viewer_client.get("/admin/projects.csv?stage=negotiating&lang=en")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    header = rows[0]
    assert header[:3] == ["Number", "Project name", "Company"]
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"乙", "'=HYPERLINK(\"http://evil.example\")"}
    assert by_name["乙"]["Stage"] == "Negotiating" and by_name["乙"]["Industry"] == "Logistics"
    assert by_name["'=HYPERLINK(\"http://evil.example\")"]["Company"] == "'+cmd"


def test_csv_export_headers_in_chinese_by_default(viewer_client, projects):
    rows = read_csv(viewer_client.get("/admin/projects.csv"))
    assert rows[0][1:3] == ["项目名称", "企业名称"]
    assert {row[7] for row in rows[1:]} == {"线索", "洽谈", "签约"}


def test_csv_export_is_staff_only(client):
    response = client.get("/admin/projects.csv")
    assert response.status_code in (302, 401)
    assert "\ufeff".encode() not in response.get_data()


def test_figures_count_this_year(staff_app, viewer_client, projects):
    year = district_today().year
    data = viewer_client.get(f"/admin/pipeline/figures?format=json&year={year}").get_json()
    assert (data["year"], data["signed"], data["negotiating"], data["started"]) == (
        year, 1, 1, 0)
    assert sum(m["signed"] for m in data["by_month"]) == 1 and len(data["by_month"]) == 12
    assert {row["industry"]: row["signed"] for row in data["by_industry"]} == {
        "logistics": 1}  # software has no count: left out
    html = viewer_client.get(f"/admin/pipeline/figures?year={year}&lang=en").get_data(
        as_text=True)
    assert 'id="fig-signed">1<' in html and f"{year}-12" in html


@pytest.mark.parametrize("query", ["year=1999", "year=abc", "year=２０２６", "format=xml"])
def test_figures_bad_parameter_is_400(viewer_client, query):
    assert viewer_client.get(f"/admin/pipeline/figures?{query}").status_code == 400


@pytest.mark.parametrize(("stage", "proposed"), [
    ("lead", set()), ("negotiating", {"T-001"}), ("signed", {"T-001", "T-002"}),
    ("dropped", {"T-002"})])  # T-001 available, T-002 negotiating, T-003 sold
def test_each_stage_proposes_its_parcel_status(staff_app, editor_client, stage, proposed):
    extra = {"drop_reason": "撤资"} if stage == "dropped" else {}
    project = add_project(staff_app, stage=stage, parcel_codes=("T-001", "T-002", "T-003"),
                          **extra)
    html = editor_client.get(f"/admin/projects/{project.id}/parcel-status").get_data(
        as_text=True)
    shown = {code for code in ("T-001", "T-002", "T-003") if f">{code}</label>" in html}
    assert shown == proposed


def test_confirming_nothing_changes_nothing(staff_app, editor_client):
    project = add_project(staff_app, stage="signed", parcel_codes=("T-001",))
    response = post_form(editor_client, f"/admin/projects/{project.id}/parcel-status", {})
    assert response.status_code == 303
    assert store_of(staff_app).get("T-001", include_drafts=True).status == "available"
