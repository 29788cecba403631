"""Staff views of the investment-promotion pipeline: the enquiry inbox, projects (table,
board, page, edits), their problems and the weekly scheduling view. Staff only."""

from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/admin")

# Each module registers its routes on bp.
from webapp.projects import (  # noqa: E402,F401
    erasure_views,
    problem_views,
    project_views,
    report_views,
    status_views,
    views,
    weekly_views,
)
