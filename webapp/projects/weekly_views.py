"""The weekly scheduling view (周调度) for staff: open problems by lead department, overdue first,
and the projects negotiated but not signed and signed but not started, with their waiting days."""

from dataclasses import dataclass

from flask import render_template

from webapp.auth.roles import role_required
from webapp.domain.local_time import district_today
from webapp.domain.parcel import Parcel
from webapp.domain.pipeline import (
    INDUSTRY_TITLES,
    STAGE_TITLES,
    Problem,
    ProblemFilter,
    Project,
    ProjectFilter,
)
from webapp.domain.weekly import WeeklyView, build_weekly_view
from webapp.projects import bp
from webapp.projects.problem_pages import problem_context
from webapp.services import get_store
from webapp.store import ParcelStore

WAITING_STAGES = ("negotiating", "signed")


@dataclass(frozen=True)
class WeeklyRecords:
    """The weekly view and the projects and parcels its problems belong to."""

    view: WeeklyView
    projects: dict[int, Project]
    parcels: dict[str, Parcel | None]


def load_weekly_records(store: ParcelStore, problems: list[Problem]) -> WeeklyRecords:
    """Build the view for Beijing's today from the open problems and the waiting projects,
    with every project and parcel the problems name."""
    waiting = store.pipeline.projects(ProjectFilter(stages=WAITING_STAGES)).records
    projects = {project.id: project for project in waiting}
    for project_id in sorted({p.project_id for p in problems if p.project_id is not None}):
        if project_id not in projects and (project := store.pipeline.project(project_id)):
            projects[project_id] = project
    codes = sorted({p.parcel_code for p in problems if p.parcel_code is not None})
    parcels = {code: store.get(code, include_drafts=True) for code in codes}  # by code
    return WeeklyRecords(build_weekly_view(problems, waiting, district_today()), projects,
                         parcels)


@bp.get("/weekly")
@role_required("viewer")
def weekly():
    """The weekly scheduling view, printable and readable on a phone."""
    store = get_store()
    records = load_weekly_records(store, store.pipeline.problems(ProblemFilter(status="open")))
    return render_template("projects/weekly.html", view=records.view, projects=records.projects,
                           parcels=records.parcels, stage_titles=STAGE_TITLES,
                           industry_titles=INDUSTRY_TITLES, **problem_context())
