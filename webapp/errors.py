"""Every error response is shaped here: one table from error to HTTP status and stable code.

API clients get {"code", "description"} as JSON, people the error page in their language. The
`code` is an OGC API style exception code (InvalidParameterValue, NotFound, ...) written in the
table, never a Python class name, so renaming a class cannot change the API. The headers that
belong to an error are made here too: ETag of the stored version on 409/412, Retry-After on
429 and 503, and werkzeug's own (Allow on 405).
"""

import logging
from dataclasses import dataclass

from flask import Flask, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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
    RateLimitedError,
    StoreUnavailableError,
    TooManyAttemptsError,
)
from webapp.domain.messages import N_
from webapp.domain.parcel import Parcel, parcel_etag

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ErrorKind:
    """The HTTP status of one kind of error and its stable `code` in JSON error bodies."""

    status: int
    code: str


# The most specific class in an error's MRO wins; LandgisError itself is the fallback.
ERROR_TABLE: dict[type[Exception], ErrorKind] = {
    LandgisError: ErrorKind(400, "BadRequest"),
    InvalidParameterError: ErrorKind(400, "InvalidParameterValue"),
    CSRFError: ErrorKind(400, "InvalidCsrfToken"),
    AuthenticationRequiredError: ErrorKind(401, "AuthenticationRequired"),
    ForbiddenError: ErrorKind(403, "Forbidden"),
    NotFoundError: ErrorKind(404, "NotFound"),
    ConflictError: ErrorKind(409, "Conflict"),
    PreconditionFailedError: ErrorKind(412, "PreconditionFailed"),
    DataFileError: ErrorKind(422, "InvalidDataFile"),
    InvalidEditError: ErrorKind(422, "InvalidPropertyValue"),
    PreconditionRequiredError: ErrorKind(428, "PreconditionRequired"),
    TooManyAttemptsError: ErrorKind(429, "TooManyRequests"),
    RateLimitedError: ErrorKind(429, "TooManyRequests"),
    ConfigError: ErrorKind(500, "ServerError"),
    StoreUnavailableError: ErrorKind(503, "ServiceUnavailable"),
    ExportsBusyError: ErrorKind(503, "ServiceUnavailable"),
}

# HTTP errors raised by Flask and werkzeug (unknown route, wrong method, body too large, ...):
# every status werkzeug has an exception for, in the same vocabulary as ERROR_TABLE.
CODE_BY_HTTP_STATUS: dict[int, str] = {
    400: "BadRequest", 401: "AuthenticationRequired", 403: "Forbidden", 404: "NotFound",
    405: "MethodNotAllowed", 406: "NotAcceptable", 408: "RequestTimeout", 409: "Conflict",
    410: "Gone", 411: "LengthRequired", 412: "PreconditionFailed", 413: "PayloadTooLarge",
    414: "UriTooLong", 415: "UnsupportedMediaType", 416: "RangeNotSatisfiable",
    417: "ExpectationFailed", 418: "ImATeapot", 421: "MisdirectedRequest",
    422: "UnprocessableContent", 423: "Locked", 424: "FailedDependency",
    428: "PreconditionRequired", 429: "TooManyRequests", 431: "RequestHeaderFieldsTooLarge",
    451: "UnavailableForLegalReasons", 500: "ServerError", 501: "NotImplemented",
    502: "BadGateway", 503: "ServiceUnavailable", 504: "GatewayTimeout",
    505: "HttpVersionNotSupported",
}
SERVER_ERROR = ErrorKind(500, CODE_BY_HTTP_STATUS[500])  # anything unexpected

SERVER_FAULT = N_("Something went wrong on our side. The error has been logged.")
CSRF_MESSAGE = N_("This form has expired or did not come from this site. Go back, reload the "
                  "page and send it again.")
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


def kind_of(error: Exception) -> ErrorKind:
    """The status and code of an error: the table's entry for its most specific class, else
    its HTTP status (HTTP errors), else a server error."""
    for cls in type(error).__mro__:
        if cls in ERROR_TABLE:
            return ERROR_TABLE[cls]
    if isinstance(error, HTTPException) and error.code:
        fallback = CODE_BY_HTTP_STATUS[500 if error.code >= 500 else 400]
        return ErrorKind(error.code, CODE_BY_HTTP_STATUS.get(error.code, fallback))
    return SERVER_ERROR


def error_codes() -> list[str]:
    """Every `code` an error response can carry, sorted (the OpenAPI document lists them)."""
    return sorted({kind.code for kind in ERROR_TABLE.values()}
                  | set(CODE_BY_HTTP_STATUS.values()))


def wants_json() -> bool:
    """API paths and clients that prefer JSON get JSON errors."""
    if request.path.startswith("/api") or request.args.get("f") == "json":
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _translated(message: str, params: dict[str, object]) -> str:
    return gettext(message, **params) if params else gettext(message)


def message_of(error: Exception) -> str:
    """The error's message in the user's language (a server fault's is a generic hint)."""
    if kind_of(error).status == 500:  # the log has the detail, the visitor a hint
        return gettext(SERVER_FAULT)
    if isinstance(error, InvalidParameterError):
        return f"{error.parameter}: {_translated(error.message, error.params)}"
    if isinstance(error, InvalidEditError):
        return "; ".join(f"{name}: {_translated(message, params)}"
                         for name, (message, params) in error.fields.items())
    if isinstance(error, StoreUnavailableError | ExportsBusyError):
        return gettext(error.MESSAGE)
    if isinstance(error, RateLimitedError):
        return gettext(error.MESSAGE, seconds=error.retry_after_s)
    if isinstance(error, CSRFError):
        return gettext(CSRF_MESSAGE)
    if isinstance(error, HTTPException):
        message = HTTP_MESSAGES.get(error.code or 500)
        return gettext(message) if message else (error.description or "")
    return str(error)


def headers_of(error: Exception, kind: ErrorKind) -> dict[str, str]:
    """The headers of an error response: werkzeug's own (Allow on 405), ETag of the version
    stored now on 409/412, Retry-After (seconds) on 429 and 503."""
    headers = {}
    if isinstance(error, HTTPException):
        headers = {name: value for name, value in error.get_headers()
                   if name.lower() != "content-type"}
    if isinstance(error, ConflictError | PreconditionFailedError) \
            and isinstance(error.current, Parcel):
        headers["ETag"] = parcel_etag(error.current)
    if isinstance(error, TooManyAttemptsError | RateLimitedError):
        headers["Retry-After"] = str(error.retry_after_s)
    elif kind.status in (429, 503):
        headers.setdefault("Retry-After", str(RETRY_AFTER_S))
    return headers


def _log(error: Exception, kind: ErrorKind) -> None:
    if isinstance(error, ExportsBusyError):  # expected under load, not a fault
        logger.warning("export refused: %s", error)
    elif not isinstance(error, LandgisError | HTTPException):
        logger.error("unhandled error on %s %s", request.method, request.path, exc_info=error)
    elif isinstance(error, LandgisError) and kind.status >= 500:
        logger.error("server-side error", exc_info=error)


def error_response(error: Exception) -> ResponseReturnValue:
    """The one error response: (body, status, headers), the body {"code", "description"} as
    JSON for API clients or the error page in the user's language for people."""
    kind = kind_of(error)
    _log(error, kind)
    g.handled_error = error  # for the hooks that count errors (webapp.metrics)
    detail = message_of(error)
    if wants_json():
        body = jsonify(code=kind.code, description=detail)
    else:
        body = render_template("errors/error.html", status=kind.status, title=kind.code,
                               detail=detail)
    return body, kind.status, headers_of(error, kind)


def init_app(app: Flask) -> None:
    """Answer every error (domain, HTTP, CSRF, rate limit, unexpected) with error_response."""
    app.register_error_handler(Exception, error_response)
