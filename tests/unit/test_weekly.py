"""The weekly scheduling view (周调度) of hand-made problems and projects on a fixed day."""

from dataclasses import replace
from datetime import date

import pytest

from webapp.domain.pipeline import Problem, Project
from webapp.domain.weekly import build_weekly_view, days_overdue, group_by_department

TODAY = date(2026, 3, 10)


def problem(id_, department="规划局", due=None, status="open", project_id=None, parcel=None):
    return Problem(id=id_, project_id=project_id,
                   parcel_code=parcel if project_id is None else None,
                   title=f"P{id_}", department=department, due_date=due, status=status,
                   notes=None, public=False, created_at="2026-01-01T00:00:00Z",
                   updated_at="2026-01-01T00:00:00Z", solved_at=None)


def project(id_, stage, stage_since="2026-01-01", signed_on=None, name=None):
    return Project(id=id_, name=name or f"项目{id_}", company=None, contact=None, industry=None,
                   investment_wan=None, jobs=None, stage=stage, stage_since=stage_since,
                   signed_on=signed_on, started_on=None, drop_reason=None, street=None,
                   parcel_codes=(), owner=None, next_action=None, next_action_due=None,
                   enquiry_id=None, created_at="2025-01-01T00:00:00Z",
                   updated_at="2025-01-01T00:00:00Z")


@pytest.mark.parametrize(("due", "status", "expected"), [
    ("2026-03-09", "open", 1), ("2025-03-10", "open", 365), ("2026-03-10", "open", None),
    ("2026-04-01", "open", None), (None, "open", None), ("2026-03-01", "solved", None),
    ("not a date", "open", None),
])
def test_days_overdue_counts_days_after_due_date(due, status, expected):
    assert days_overdue(problem(1, due=due, status=status), TODAY) == expected


def test_weekly_groups_open_problems_by_department():
    groups = group_by_department([problem(1, "甲"), problem(2, "乙"), problem(3, "甲")], TODAY)
    assert {g.department: [w.problem.id for w in g.problems] for g in groups} == {
        "甲": [1, 3], "乙": [2]}


def test_weekly_leaves_out_solved_problems():
    groups = group_by_department([problem(1, status="solved"), problem(2)], TODAY)
    assert [w.problem.id for g in groups for w in g.problems] == [2]


def test_weekly_lists_overdue_first_oldest_due_first_undated_last():
    problems = [problem(1, due=None), problem(2, due="2026-05-01"), problem(3, due="2026-03-01"),
                problem(4, due="2026-01-15"), problem(5, due="2026-03-10")]
    (group,) = group_by_department(problems, TODAY)
    assert [w.problem.id for w in group.problems] == [4, 3, 5, 2, 1]
    assert [w.days_overdue for w in group.problems] == [54, 9, None, None, None]
    assert group.overdue_count == 2


def test_weekly_puts_department_with_oldest_overdue_problem_first():
    problems = [problem(1, "A 不逾期", due="2026-03-20"), problem(2, "B 逾期少", due="2026-03-01"),
                problem(3, "C 逾期多", due="2026-02-01"), problem(4, "D 无日期")]
    names = [g.department for g in group_by_department(problems, TODAY)]
    assert names == ["C 逾期多", "B 逾期少", "A 不逾期", "D 无日期"]


def test_weekly_orders_departments_without_due_dates_by_name():
    names = [g.department for g in group_by_department([problem(1, "乙"), problem(2, "甲"),
                                                        problem(3, "B")], TODAY)]
    assert names == sorted(["乙", "甲", "B"])


def test_weekly_lists_negotiating_projects_by_days_since_stage_longest_first():
    view = build_weekly_view([], [project(1, "negotiating", "2026-03-01"),
                                  project(2, "negotiating", "2025-12-10"),
                                  project(3, "lead", "2020-01-01")], TODAY)
    assert [(w.project.id, w.since, w.days_waiting) for w in view.negotiated_not_signed] == [
        (2, "2025-12-10", 90), (1, "2026-03-01", 9)]


def test_weekly_lists_signed_projects_from_signing_date():
    signed = project(1, "signed", stage_since="2026-03-01", signed_on="2025-03-10")
    view = build_weekly_view([], [signed, project(2, "started", signed_on="2024-01-01")], TODAY)
    assert [(w.project.id, w.since, w.days_waiting) for w in view.signed_not_started] == [
        (1, "2025-03-10", 365)]


def test_weekly_signed_project_without_signing_date_waits_from_stage_date():
    view = build_weekly_view([], [project(1, "signed", stage_since="2026-03-03")], TODAY)
    assert view.signed_not_started[0].days_waiting == 7


def test_weekly_waiting_project_carries_its_open_problems():
    problems = [problem(1, project_id=7), problem(2, project_id=7, status="solved"),
                problem(3, project_id=8), problem(4, parcel="G-1")]
    view = build_weekly_view(problems, [project(7, "signed", signed_on="2026-01-01")], TODAY)
    assert [p.id for p in view.signed_not_started[0].open_problems] == [1]


def test_weekly_counts_open_and_overdue_problems():
    problems = [problem(1, due="2026-01-01"), problem(2, "乙", due="2026-02-01"),
                problem(3), problem(4, status="solved", due="2026-01-01")]
    view = build_weekly_view(problems, [], TODAY)
    assert (view.open_count, view.overdue_count) == (3, 2)


def test_weekly_view_of_nothing_is_empty():
    view = build_weekly_view([], [], TODAY)
    assert (view.departments, view.negotiated_not_signed, view.signed_not_started) == ((), (), ())


def test_weekly_waiting_since_future_date_counts_zero_days():
    view = build_weekly_view([], [replace(project(1, "negotiating"), stage_since="2026-04-01")],
                             TODAY)
    assert view.negotiated_not_signed[0].days_waiting == 0
