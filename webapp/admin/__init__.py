"""Staff pages: parcel edit forms, conflict pages, change log, restore, account management."""

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, url_prefix="/admin")


def init_app(app: Flask) -> None:
    """Register the staff pages, the API edit route and what templates need from them."""
    from webapp.admin import api_edit, user_views, views  # noqa: F401  (register routes)
    from webapp.admin.pages import parcel_history, staff_context
    from webapp.domain.errors import PreconditionFailedError
    from webapp.domain.parcel import parcel_etag
    from webapp.errors import error_response, message_of

    app.register_blueprint(bp)
    app.register_blueprint(api_edit.bp)
    app.jinja_env.globals["staff_parcel_history"] = parcel_history
    app.jinja_env.globals["staff_context"] = staff_context

    @app.errorhandler(PreconditionFailedError)
    def handle_precondition_failed(error: PreconditionFailedError):
        response, status = error_response(412, type(error).__name__, message_of(error))
        return response, status, {"ETag": parcel_etag(error.current)} if error.current else {}
