"""Staff pages to upload a bureau file, preview its import report, and confirm the import."""

from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/imports")

from webapp.imports import views  # noqa: E402,F401  (registers the routes on bp)
