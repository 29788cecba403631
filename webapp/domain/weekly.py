"""The weekly scheduling view (周调度): open problems by lead department, overdue ones first, and
the two waiting lists the report names, 已谈未签 (negotiated, not signed) and 已签约未开工
(signed, not started), each with how many days it has waited (no Flask; `today` is given)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from webapp.domain.pipeline import Problem, Project

NO_DUE_DATE = date.max  # problems without a due date sort after every dated one


@dataclass(frozen=True)
class WeeklyProblem:
    """An open problem and how many days it is overdue (None when not overdue)."""

    problem: Problem
    days_overdue: int | None


@dataclass(frozen=True)
class DepartmentProblems:
    """One lead department's open problems: overdue first, oldest due date first."""

    department: str
    problems: tuple[WeeklyProblem, ...]

    @property
    def overdue_count(self) -> int:
        """How many of them are overdue."""
        return sum(1 for item in self.problems if item.days_overdue is not None)


@dataclass(frozen=True)
class WaitingProject:
    """A project waiting in its stage since `since` (a date) for `days_waiting` days, with its
    open problems."""

    project: Project
    since: str | None
    days_waiting: int | None
    open_problems: tuple[Problem, ...]


@dataclass(frozen=True)
class WeeklyView:
    """The whole weekly view for one day."""

    today: date
    departments: tuple[DepartmentProblems, ...]
    negotiated_not_signed: tuple[WaitingProject, ...]
    signed_not_started: tuple[WaitingProject, ...]

    @property
    def open_count(self) -> int:
        """How many open problems the view lists."""
        return sum(len(group.problems) for group in self.departments)

    @property
    def overdue_count(self) -> int:
        """How many of them are overdue."""
        return sum(group.overdue_count for group in self.departments)


def parse_day(text: str | None) -> date | None:
    """An ISO date (or the date part of an ISO instant), or None when absent or unreadable."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def days_overdue(problem: Problem, today: date) -> int | None:
    """Days since an open problem's due date passed (1 the day after it), else None."""
    due = parse_day(problem.due_date)
    if problem.status != "open" or due is None or due >= today:
        return None
    return (today - due).days


def _problem_key(item: WeeklyProblem) -> tuple:
    due = parse_day(item.problem.due_date) or NO_DUE_DATE
    return (item.days_overdue is None, due, item.problem.id)


def _department_key(group: DepartmentProblems) -> tuple:
    first = group.problems[0]  # the most urgent one
    return (first.days_overdue is None, parse_day(first.problem.due_date) or NO_DUE_DATE,
            group.department)


def group_by_department(problems: Iterable[Problem], today: date) -> list[DepartmentProblems]:
    """Open problems by department; departments with the oldest overdue problem first, then
    those with the earliest due date, then by name; within one, overdue first, oldest due
    date first, undated last."""
    by_department: dict[str, list[WeeklyProblem]] = {}
    for problem in problems:
        if problem.status == "open":
            by_department.setdefault(problem.department, []).append(
                WeeklyProblem(problem, days_overdue(problem, today)))
    groups = [DepartmentProblems(name, tuple(sorted(items, key=_problem_key)))
              for name, items in by_department.items()]
    return sorted(groups, key=_department_key)


def waiting_projects(projects: Iterable[Project], stage: str, problems: Iterable[Problem],
                     today: date) -> list[WaitingProject]:
    """Projects in `stage` with how long they have waited there, longest first. A signed
    project waits from signed_on (its stage date when that is missing), others from
    stage_since."""
    open_by_project: dict[int, list[Problem]] = {}
    for problem in problems:
        if problem.status == "open" and problem.project_id is not None:
            open_by_project.setdefault(problem.project_id, []).append(problem)
    waiting = []
    for project in projects:
        if project.stage != stage:
            continue
        since = (project.signed_on if stage == "signed" else None) or project.stage_since
        day = parse_day(since)
        days = max(0, (today - day).days) if day else None
        waiting.append(WaitingProject(project, since, days,
                                      tuple(open_by_project.get(project.id, ()))))
    return sorted(waiting, key=lambda w: (w.days_waiting is None, -(w.days_waiting or 0),
                                          w.project.name, w.project.id))


def build_weekly_view(problems: Iterable[Problem], projects: Iterable[Project],
                      today: date) -> WeeklyView:
    """The weekly view of these problems (open ones are kept) and projects (those negotiating
    or signed are kept) on `today`."""
    problems, projects = list(problems), list(projects)
    return WeeklyView(today, tuple(group_by_department(problems, today)),
                      tuple(waiting_projects(projects, "negotiating", problems, today)),
                      tuple(waiting_projects(projects, "signed", problems, today)))
