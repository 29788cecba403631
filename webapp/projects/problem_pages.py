"""Assemble and render the problem-list pages (问题清单): finding records, the add and edit
forms, the conflict page, and what the project page's problem section needs (no SQL)."""

from collections.abc import Mapping

from flask import render_template, url_for
from flask_babel import gettext as _

from webapp.admin.pages import field_messages
from webapp.domain.errors import ConflictError, InvalidEditError, NotFoundError
from webapp.domain.local_time import district_time_text, district_today
from webapp.domain.parcel import Parcel
from webapp.domain.parcel_key import MAX_PARCEL_ID
from webapp.domain.pipeline import (
    PROBLEM_STATUS_TITLES,
    PipelineChange,
    Problem,
    ProblemFilter,
    Project,
)
from webapp.domain.problem_edits import (
    PROBLEM_TEXT_LIMITS,
    merged_problem_values,
    problem_conflict_rows,
    problem_form_values,
)
from webapp.domain.weekly import days_overdue
from webapp.projects.problem_texts import (
    pipeline_source_names,
    problem_labels,
    show_problem_input,
    show_problem_value,
)
from webapp.services import get_store

HISTORY_LIMIT = 100
MAX_DEPARTMENTS = 200  # suggestions offered in the department field's list


def find_project(project_id: int) -> Project:
    """A project by id, or NotFoundError."""
    project = get_store().pipeline.project(project_id)
    if project is None:
        raise NotFoundError(_("No project has the number “%(key)s”.", key=project_id))
    return project


def find_problem(problem_id: int) -> Problem:
    """A problem by id, or NotFoundError."""
    problem = get_store().pipeline.problem(problem_id)
    if problem is None:
        raise NotFoundError(_("No problem has the number “%(key)s”.", key=problem_id))
    return problem


def find_parcel_by_id(parcel_id: int) -> Parcel:
    """A parcel by id, drafts included, or NotFoundError."""
    parcel = get_store().get(parcel_id, include_drafts=True) if parcel_id <= MAX_PARCEL_ID \
        else None
    if parcel is None:
        raise NotFoundError(_("No parcel has the number “%(key)s”.", key=parcel_id))
    return parcel


def problem_home_label(problem: Problem) -> str:
    """What the way back from a problem's pages is called: its project's name or its parcel."""
    if problem.project_id is not None:
        project = get_store().pipeline.project(problem.project_id)
        return project.name if project else _("The project")
    return _("Problems of %(code)s", code=problem.parcel_code)


def problem_home_url(problem: Problem) -> str:
    """Where a problem is listed: its project's page or its parcel's problem list."""
    if problem.project_id is not None:
        return url_for("projects.project", project_id=problem.project_id, _anchor="problems")
    parcel = get_store().get(problem.parcel_code or "", include_drafts=True)  # by code
    if parcel is None:  # a parcel code not (or no longer) in the store
        return url_for("projects.weekly")
    return url_for("projects.parcel_problems", parcel_id=parcel.id)


def used_departments() -> list[str]:
    """The departments problems name already, sorted, for the department field's suggestions."""
    names = {problem.department for problem in get_store().pipeline.problems(ProblemFilter())}
    return sorted(names)[:MAX_DEPARTMENTS]


def project_problems(project_id: int) -> list[Problem]:
    """A project's problems, open first (for the project page's section)."""
    return get_store().pipeline.problems(ProblemFilter(project_id=project_id))


def problem_context() -> dict:
    """Names every problem template uses."""
    today = district_today()
    return {"problem_status_titles": PROBLEM_STATUS_TITLES, "limits": PROBLEM_TEXT_LIMITS,
            "overdue_days": lambda problem: days_overdue(problem, today),
            "local_time": district_time_text, "today": today, "problem_labels": problem_labels(),
            "show_problem": show_problem_value, "show_problem_input": show_problem_input,
            "pipeline_sources": pipeline_source_names()}


def problem_section_context(project_id: int) -> dict:
    """What templates/projects/_problems.html shows on a project page."""
    problems, today = project_problems(project_id), district_today()
    open_problems = [problem for problem in problems if problem.status == "open"]
    return {"problems": problems, "departments": used_departments(),
            "open_count": len(open_problems),
            "overdue_count": sum(1 for p in open_problems if days_overdue(p, today))}


def render_parcel_problems(parcel: Parcel, values: Mapping[str, str] | None = None,
                           errors: Mapping[str, str] | None = None) -> str:
    """A parcel's problem list with the add form (and its input and messages after a bad
    submission)."""
    problems = get_store().pipeline.problems(ProblemFilter(parcel_code=parcel.code))
    return render_template("projects/problems_parcel.html", parcel=parcel, problems=problems,
                           values=values or {}, errors=errors or {},
                           departments=used_departments(), **problem_context())


def render_new_project_problem(project: Project, values: Mapping[str, str],
                               error: InvalidEditError) -> str:
    """The add form of a project's problem again, with the input and the messages."""
    return render_template("projects/problem_new.html", project=project, values=values,
                           errors=field_messages(error), departments=used_departments(),
                           **problem_context())


def problem_history(problem: Problem) -> list[PipelineChange]:
    """A problem's audit rows, newest first."""
    return get_store().pipeline.changes("problem", problem.id, limit=HISTORY_LIMIT).records


def render_problem_edit(problem: Problem, values: Mapping[str, str] | None = None,
                        version: int | None = None,
                        errors: Mapping[str, str] | None = None) -> str:
    """The edit form with the given input (default: the stored values) and field errors."""
    return render_template("projects/problem_edit.html", problem=problem,
                           values={**problem_form_values(problem), **(values or {})},
                           version=version or problem.version, errors=errors or {},
                           departments=used_departments(), history=problem_history(problem),
                           home_url=problem_home_url(problem),
                           home_label=problem_home_label(problem), **problem_context())


def render_problem_conflict(error: ConflictError, base_version: int,
                            submitted: Mapping[str, str]) -> str:
    """409: the other person's changes beside the user's input, and a merged form to save."""
    current: Problem = error.current
    since = [change for change in problem_history(current) if change.version > base_version]
    rows = problem_conflict_rows(current, since, submitted)
    return render_template("projects/problem_conflict.html", problem=current, rows=rows,
                           base_version=base_version,
                           values=merged_problem_values(rows, submitted, current),
                           version=current.version, errors={}, departments=used_departments(),
                           home_url=problem_home_url(current), **problem_context())
