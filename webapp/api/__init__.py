"""The standard API for GIS clients: OGC API - Features and vector tiles under /api."""

from flask import Blueprint, Flask

bp = Blueprint("api", __name__, url_prefix="/api")

from webapp.api import editing, http, views  # noqa: E402,F401  (views and editing add routes)


def init_app(app: Flask) -> None:
    """Register the API blueprint and its HTTP behaviour (CORS, caching, compression)."""
    app.register_blueprint(bp)
    http.init_app(app)
