"""Staff login: Flask-Login sessions, CSRF on every form, cookie settings, login throttling."""

from flask import Blueprint, Flask

bp = Blueprint("auth", __name__, url_prefix="/auth")


def init_app(app: Flask) -> None:
    """Set up sessions, CSRF protection and the login pages."""
    from webapp.auth import session, views  # noqa: F401  (views registers the routes on bp)

    session.init_app(app)
    app.register_blueprint(bp)
