"""What staff take away from the pipeline: the projects as CSV and the report's figures."""

from dataclasses import asdict
from datetime import UTC, datetime

from flask import Response, current_app, jsonify, render_template, request

from webapp.auth.roles import role_required
from webapp.domain.errors import InvalidParameterError
from webapp.domain.local_time import district_today
from webapp.domain.messages import N_
from webapp.domain.pipeline import ProjectFilter
from webapp.domain.pipeline_figures import pipeline_figures
from webapp.domain.project_listing import parse_choice, parse_pipeline_query
from webapp.projects import bp
from webapp.projects.editing import staff_names
from webapp.projects.export import projects_csv
from webapp.projects.texts import projects_context
from webapp.services import get_store

YEARS = (2000, 2100)
FORMATS = ("html", "json")


def parse_year(values: list[str], default: int) -> int:
    """?year= as a whole number in YEARS (default: this year in Beijing), else 400."""
    value = values[-1].strip() if values else ""
    if not value:
        return default
    if not (value.isascii() and value.isdigit() and YEARS[0] <= int(value) <= YEARS[1]):
        raise InvalidParameterError("year", N_("must be a year from %(minimum)s to %(maximum)s"),
                                    minimum=YEARS[0], maximum=YEARS[1])
    return int(value)


def parse_format(values: list[str]) -> str:
    """?format= html (default) or json, else 400."""
    return parse_choice("format", values[-1].strip() if values else "", FORMATS) or "html"


@bp.get("/projects.csv")
@role_required("viewer")
def export():
    """The filtered projects as a CSV download (staff only)."""
    store = get_store()
    query = parse_pipeline_query(request.args.getlist, staff_names(store))
    projects = store.pipeline.projects(query.project_filter).records
    name = f"projects-{datetime.now(UTC):%Y%m%d}.csv"
    return Response(projects_csv(projects, district_today()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


@bp.get("/pipeline/figures")
@role_required("viewer")
def figures():
    """The year's pipeline figures as tables, or JSON with ?format=json."""
    today = district_today()
    year = parse_year(request.args.getlist("year"), today.year)
    output = parse_format(request.args.getlist("format"))
    projects = get_store().pipeline.projects(ProjectFilter()).records
    result = pipeline_figures(projects, year, current_app.config["PIPELINE_MAJOR_WAN"], today)
    if output == "json":
        return jsonify(asdict(result))
    return render_template("projects/figures.html", figures=result, **projects_context())
