"""The standard API for GIS clients: OGC API - Features and vector tiles under /api."""

from flask import Blueprint, Flask

bp = Blueprint("api", __name__, url_prefix="/api")

from webapp.api import (  # noqa: E402,F401  (views, context_views, editing, selection add routes)
    context_views,
    editing,
    http,
    selection,
    style_views,
    views,
)


def init_app(app: Flask) -> None:
    """Register the API blueprint and its HTTP behaviour (CORS, caching, compression)."""
    app.register_blueprint(bp)
    http.init_app(app)
