"""Staff pages: parcel edit forms, conflict pages, change log, restore, account management,
context layers."""

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, url_prefix="/admin")


def init_app(app: Flask) -> None:
    """Register the staff pages and what templates need from them."""
    from webapp.admin import context_views, user_views, views  # noqa: F401  (register routes)
    from webapp.admin.pages import parcel_history, staff_context

    app.register_blueprint(bp)
    app.jinja_env.globals["staff_parcel_history"] = parcel_history
    app.jinja_env.globals["staff_context"] = staff_context
