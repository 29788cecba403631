"""One table from domain errors to HTTP statuses; JSON for API clients, a page for people."""

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException, InternalServerError

from webapp.domain.errors import (
    AuthenticationRequiredError,
    ConfigError,
    ConflictError,
    DataFileError,
    ExportsBusyError,
    ForbiddenError,
    InvalidEditError,
    InvalidParameterError,
    LandgisError,
    NotFoundError,
    PreconditionFailedError,
    PreconditionRequiredError,
    StoreUnavailableError,
    TooManyAttemptsError,
)
from webapp.domain.messages import N_

logger = logging.getLogger(__name__)

STATUS_BY_ERROR: dict[type[LandgisError], int] = {
    InvalidParameterError: 400,
    NotFoundError: 404,
    DataFileError: 422,
    ConfigError: 500,
    AuthenticationRequiredError: 401,
    ForbiddenError: 403,
    ConflictError: 409,
    PreconditionFailedError: 412,
    InvalidEditError: 422,
    PreconditionRequiredError: 428,
    TooManyAttemptsError: 429,
    StoreUnavailableError: 503,
    ExportsBusyError: 503,
}

SERVER_FAULT = N_("Something went wrong on our side. The error has been logged.")
RETRY_AFTER_S = 5  # told to clients of a 503: a database restart is usually over by then

HTTP_MESSAGES = {
    400: N_("The request could not be understood."),
    401: N_("Please log in first."),
    403: N_("Your account is not allowed to do this."),
    404: N_("There is no page at this address. Check the link, or start again from the map."),
    405: N_("This address does not accept that kind of request."),
    413: N_("The request is larger than this server accepts."),
    429: N_("Too many attempts. Please try again later."),
}


def status_of(error: LandgisError) -> int:
    """The HTTP status of a domain error (the most specific class in the table wins)."""
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


def wants_json() -> bool:
    """API paths and clients that prefer JSON get JSON errors."""
    if request.path.startswith("/api") or request.args.get("f") == "json":
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def message_of(error: LandgisError) -> str:
    """The error's message in the user's language."""
    if isinstance(error, InvalidParameterError):
        text = gettext(error.message, **error.params) if error.params else gettext(error.message)
        return f"{error.parameter}: {text}"
    if isinstance(error, StoreUnavailableError | ExportsBusyError):
        return gettext(error.MESSAGE)
    if isinstance(error, InvalidEditError):
        return "; ".join(f"{name}: {gettext(message, **params) if params else gettext(message)}"
                         for name, (message, params) in error.fields.items())
    return str(error)


def error_response(status: int, title: str, detail: str):
    """The one error shape: {"code", "description"} as JSON, or the error page."""
    if wants_json():
        return jsonify(code=title, description=detail), status
    return render_template("errors/error.html", status=status, title=title, detail=detail), status


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(LandgisError)
    def handle_domain_error(error: LandgisError):
        status = status_of(error)
        if isinstance(error, ExportsBusyError):  # expected under load, not a fault
            logger.warning("export refused: %s", error)
        elif status >= 500:
            logger.error("server-side error", exc_info=error)
        detail = message_of(error)
        if status == 500:  # a server fault (configuration): the log has it, the visitor a hint
            detail = gettext(SERVER_FAULT)
        body, status = error_response(status, type(error).__name__, detail)
        headers = {"Retry-After": str(RETRY_AFTER_S)} if status == 503 else {}
        return body, status, headers

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        status = error.code or 500
        detail = HTTP_MESSAGES.get(status)
        return error_response(status, error.name,
                              gettext(detail) if detail else (error.description or ""))

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, InternalServerError().name, gettext(SERVER_FAULT))
