"""One error table: every error's status and stable code, and the headers that go with it.

The JSON `code` is part of the API: EXPECTED_TABLE writes every status and code out, so a
change to webapp.errors (or a renamed class) cannot change what clients see without this test
saying so.
"""

import logging
import re
from pathlib import Path

import pytest
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import default_exceptions

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
from webapp.domain.parcel import parcel_etag
from webapp.errors import CODE_BY_HTTP_STATUS, ERROR_TABLE, ErrorKind, error_codes, kind_of

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
EXPECTED_TABLE = {
    LandgisError: (400, "BadRequest"),
    InvalidParameterError: (400, "InvalidParameterValue"),
    CSRFError: (400, "InvalidCsrfToken"),
    AuthenticationRequiredError: (401, "AuthenticationRequired"),
    ForbiddenError: (403, "Forbidden"),
    NotFoundError: (404, "NotFound"),
    ConflictError: (409, "Conflict"),
    PreconditionFailedError: (412, "PreconditionFailed"),
    DataFileError: (422, "InvalidDataFile"),
    InvalidEditError: (422, "InvalidPropertyValue"),
    PreconditionRequiredError: (428, "PreconditionRequired"),
    TooManyAttemptsError: (429, "TooManyRequests"),
    RateLimitedError: (429, "TooManyRequests"),
    ConfigError: (500, "ServerError"),
    StoreUnavailableError: (503, "ServiceUnavailable"),
    ExportsBusyError: (503, "ServiceUnavailable"),
}
EXPECTED_HTTP_CODES = {
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
CODE = re.compile(r"[A-Z][A-Za-z]+")


def test_error_table_is_exactly_the_published_statuses_and_codes():
    assert {cls: (kind.status, kind.code) for cls, kind in ERROR_TABLE.items()} == EXPECTED_TABLE


def test_error_http_codes_are_exactly_the_published_ones():
    assert CODE_BY_HTTP_STATUS == EXPECTED_HTTP_CODES


@pytest.mark.parametrize("status", sorted(default_exceptions))
def test_error_every_werkzeug_status_has_a_code(status):
    assert kind_of(default_exceptions[status]()) == ErrorKind(status, EXPECTED_HTTP_CODES[status])


def test_error_code_does_not_follow_the_class_name():
    class SomeOtherNameError(NotFoundError):
        pass

    assert kind_of(SomeOtherNameError("x")) == ErrorKind(404, "NotFound")


def test_error_unexpected_exception_is_a_server_error():
    assert kind_of(RuntimeError("boom")) == ErrorKind(500, "ServerError")


def test_error_codes_lists_every_code_once_in_camel_case():
    codes = error_codes()
    assert codes == sorted(set(codes)) and all(CODE.fullmatch(c) for c in codes)
    assert {code for _status, code in EXPECTED_TABLE.values()} <= set(codes)


def _raising(app, error: Exception) -> None:
    @app.get("/_fault")
    def fault():
        raise error


def _json_fault(app, error: Exception):
    _raising(app, error)
    return app.test_client().get("/_fault?lang=en", headers={"Accept": "application/json"})


@pytest.mark.parametrize(("error", "status", "body"), [
    (InvalidParameterError("limit", "must be a whole number ≥ %(minimum)s", minimum=1), 400,
     {"code": "InvalidParameterValue", "description": "limit: must be a whole number ≥ 1"}),
    (NotFoundError("No such parcel."), 404, {"code": "NotFound",
                                             "description": "No such parcel."}),
    (DataFileError("not a GeoPackage"), 422, {"code": "InvalidDataFile",
                                              "description": "not a GeoPackage"}),
    (InvalidEditError({"far_min": ("must be a number ≥ %(minimum)s", {"minimum": 0})}), 422,
     {"code": "InvalidPropertyValue", "description": "far_min: must be a number ≥ 0"}),
    (ForbiddenError("needs admin"), 403, {"code": "Forbidden", "description": "needs admin"}),
    (ConfigError("postgresql://ada:pw@db/landgis"), 500, {
        "code": "ServerError",
        "description": "Something went wrong on our side. The error has been logged."}),
    (RuntimeError("internal detail"), 500, {
        "code": "ServerError",
        "description": "Something went wrong on our side. The error has been logged."}),
])
def test_error_json_body_is_code_and_description(small_app, error, status, body):
    response = _json_fault(small_app, error)
    assert (response.status_code, response.json) == (status, body)


def test_error_412_carries_the_etag_of_the_stored_version(small_app, small_store):
    stored = small_store.get("T-001")
    response = _json_fault(small_app, PreconditionFailedError("changed", stored))
    assert response.status_code == 412 and response.headers["ETag"] == parcel_etag(stored)


def test_error_409_with_the_stored_parcel_carries_its_etag(small_app, small_store):
    stored = small_store.get("T-001")
    response = _json_fault(small_app, ConflictError("changed", stored))
    assert response.status_code == 409 and response.headers["ETag"] == parcel_etag(stored)


def test_error_409_without_a_parcel_has_no_etag(small_app):
    response = _json_fault(small_app, ConflictError("changed"))
    assert response.status_code == 409 and "ETag" not in response.headers


@pytest.mark.parametrize(("error", "retry_after"), [
    (TooManyAttemptsError("Too many failed logins.", retry_after_s=42), "42"),
    (RateLimitedError(7), "7"),
    (StoreUnavailableError(), "5"),
    (ExportsBusyError(), "5"),
])
def test_error_429_and_503_carry_retry_after(small_app, error, retry_after):
    response = _json_fault(small_app, error)
    assert response.status_code in (429, 503) and response.headers["Retry-After"] == retry_after


def test_error_rate_limit_message_names_the_seconds_in_the_users_language(small_app):
    _raising(small_app, RateLimitedError(7))
    response = small_app.test_client().get("/_fault?lang=zh",
                                           headers={"Accept": "application/json"})
    assert response.json == {"code": "TooManyRequests",
                             "description": "来自您地址的请求过多，请在 7 秒后重试。"}


def test_error_page_for_people_shows_status_and_message_not_the_code(small_app):
    _raising(small_app, NotFoundError("No such parcel."))
    response = small_app.test_client().get("/_fault?lang=en", headers={"Accept": "text/html"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "No such parcel." in html and "NotFound" not in html


def test_error_405_is_method_not_allowed_with_allow(client):
    response = client.delete("/api/collections/parcels/items/1")
    assert response.status_code == 405 and response.json["code"] == "MethodNotAllowed"
    assert {"GET", "PATCH"} <= {m.strip() for m in response.headers["Allow"].split(",")}


def test_error_csrf_failure_is_invalid_csrf_token_in_json(client):
    response = client.post("/auth/login?lang=en", data={"name": "x", "password": "y"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.json["code"] == "InvalidCsrfToken"
    assert response.json["description"].startswith("This form has expired")


def test_error_csrf_failure_is_a_page_for_people(client):
    response = client.post("/auth/login?lang=en", data={"name": "x", "password": "y"})
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "This form has expired" in response.get_data(as_text=True)


def test_error_unexpected_exception_is_logged_with_its_traceback(small_app, caplog):
    _raising(small_app, RuntimeError("internal detail"))
    with caplog.at_level(logging.ERROR, logger="webapp.errors"):
        body = small_app.test_client().get("/_fault").get_data(as_text=True)
    assert "internal detail" not in body
    assert any(r.exc_info and "unhandled error" in r.getMessage() for r in caplog.records)


HANDLER_OR_BODY = re.compile(r"errorhandler\(|register_error_handler\(|errors/error\.html|"
                             r"jsonify\(code=")


@pytest.mark.parametrize("path", sorted(set(WEBAPP.rglob("*.py")) - {WEBAPP / "errors.py"}),
                         ids=lambda p: str(p.relative_to(WEBAPP)))
def test_error_responses_are_shaped_only_in_errors_module(path):
    assert not HANDLER_OR_BODY.search(path.read_text(encoding="utf-8")), (
        f"{path.name} shapes an error response; raise a domain error for webapp.errors instead")
