"""Staff pages to upload a bureau file, preview its import report, and confirm the import."""

from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/imports")

from webapp.imports import (  # noqa: E402,F401  (register the routes on bp)
    mapping_views,
    profile_views,
    views,
)
