"""The OpenAPI 3.0 document, assembled from the app's /api routes and the parameter registry.

Every /api route appears: views declared with @api_operation in full (parameters, request body,
responses with their headers, the staff session and CSRF token a write needs), others (added by
other blueprints) with their docstring and path parameters, so the document cannot drift.
"""

import re

from flask import Flask
from werkzeug.routing import Rule

from webapp.api.links import api_url
from webapp.api.media import MVT
from webapp.api.operations import Operation, operation_of
from webapp.api.params import parameters
from webapp.api.schemas import component_schemas, ref

API_PREFIX = "/api"
RULE_VARIABLE = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")
IGNORED_METHODS = {"HEAD", "OPTIONS"}
READ_METHODS = {"GET", "HEAD", "OPTIONS"}
TAGS = [{"name": "capabilities", "description": "Landing page, conformance, collections"},
        {"name": "features", "description": "Parcels and context layers (roads, river, "
                                            "interchanges...) as GeoJSON features (OGC API - "
                                            "Features)"},
        {"name": "tiles", "description": "Mapbox vector tiles (OGC API - Tiles, TileJSON)"},
        {"name": "selection", "description": "Site selection: an investor's requirement → "
                                             "ranked parcels with reasons (/select in HTML)"}]
ERROR = {"content": {"application/json": {"schema": ref("Exception")}}}
COMMON_STATUSES = (400, 404, 429, 503)  # every declared operation can answer these
STATUS_DESCRIPTIONS = {
    400: "A parameter, header or the body is unknown or has an invalid value",
    401: "Not logged in as staff",
    403: "The staff member's role does not allow this",
    404: "Not found",
    412: "The parcel changed since the version If-Match names; ETag is the current one",
    413: "The request body is larger than the server accepts",
    422: "A property value cannot be saved (the description names each one)",
    428: "If-Match is missing (send the ETag of a GET)",
    429: "Too many requests from this address; retry after Retry-After seconds",
    503: "The parcel database cannot be reached or the server is busy; retry after Retry-After "
         "seconds",
}
HEADERS = {
    "ETag": {"description": "The parcel's version, for If-Match", "schema": {"type": "string"}},
    "Retry-After": {"description": "Seconds to wait before trying again",
                    "schema": {"type": "integer", "minimum": 0}},
}
ERROR_HEADERS = {412: ("ETag",), 429: ("Retry-After",), 503: ("Retry-After",)}
CSRF_HEADER = "X-CSRFToken"


def openapi_path(rule: str) -> str:
    """'/api/collections/parcels/items/<feature_id>' → '/collections/parcels/items/{feature_id}'."""
    return RULE_VARIABLE.sub(r"{\1}", rule.removeprefix(API_PREFIX)) or "/"


def _summary(view) -> str:
    return (view.__doc__ or view.__name__).strip().splitlines()[0]


def _content_schema(media_type: str, name: str | None) -> dict:
    if name:
        return ref(name)
    if media_type == MVT:
        return {"type": "string", "format": "binary"}
    return {"type": "string"}


def _headers(names: tuple[str, ...]) -> dict:
    return {"headers": {name: HEADERS[name] for name in names}} if names else {}


def _responses(operation: Operation, method: str, needs_login: bool) -> dict:
    content = {media: {"schema": _content_schema(media, name)}
               for media, name in operation.content.items()}
    responses = {"200": {"description": "Success", "content": content}
                 | _headers(operation.response_headers)}
    if method == "GET":
        responses["304"] = {"description": "Not modified (the ETag given in If-None-Match "
                                           "matches)"}
    statuses = {*COMMON_STATUSES, *operation.extra_statuses, *((401, 403) if needs_login else ())}
    for status in sorted(statuses):
        responses[str(status)] = ({"description": STATUS_DESCRIPTIONS[status]} | ERROR
                                  | _headers(ERROR_HEADERS.get(status, ())))
    return responses


def _security(method: str, needs_login: bool) -> list[dict]:
    requirement = {"staffSession": []} if needs_login else {}
    if method not in READ_METHODS:
        requirement["csrfToken"] = []
    return [requirement] if requirement else []


def _declared(operation: Operation, method: str, required_role: str | None) -> dict:
    spec = {
        "tags": [operation.tag],
        "parameters": [parameters()[name].openapi() for name in operation.parameters],
        "responses": _responses(operation, method, required_role is not None),
    }
    if operation.request_body:
        spec["requestBody"] = {"required": True, "content": {
            media: {"schema": ref(name)} for media, name in operation.request_body.items()}}
    security = _security(method, required_role is not None)
    if security:
        spec["security"] = security
    if required_role:
        spec["description"] = f"Needs a staff session with the role `{required_role}`."
    return spec


def _undeclared(rule: Rule) -> dict:
    return {"parameters": [{"name": name, "in": "path", "required": True,
                            "schema": {"type": "string"}} for name in sorted(rule.arguments)],
            "responses": {"default": {"description": "See the summary"}}}


def _operation(app: Flask, rule: Rule, method: str) -> dict:
    view = app.view_functions[rule.endpoint]
    declared = operation_of(view)
    role = getattr(view, "required_role", None)
    body = _declared(declared, method, role) if declared else _undeclared(rule)
    return {"summary": _summary(view), "operationId": rule.endpoint} | body


def api_rules(app: Flask) -> list[Rule]:
    """The app's routes under /api, in path order."""
    return sorted((r for r in app.url_map.iter_rules()
                   if r.rule == API_PREFIX or r.rule.startswith(API_PREFIX + "/")),
                  key=lambda r: r.rule)


def security_schemes(app: Flask) -> dict:
    """How a staff write authenticates: the login session cookie and its CSRF token."""
    return {
        "staffSession": {"type": "apiKey", "in": "cookie",
                         "name": app.config["SESSION_COOKIE_NAME"],
                         "description": "The session cookie of a staff login (/auth/login)."},
        "csrfToken": {"type": "apiKey", "in": "header", "name": CSRF_HEADER,
                      "description": "The CSRF token of that session (the csrf_token field "
                                     "of any staff page's form)."},
    }


def build_openapi(app: Flask) -> dict:
    """The OpenAPI 3.0 document of every /api route (server URL: this request's /api)."""
    paths: dict[str, dict] = {}
    for rule in api_rules(app):
        for method in sorted((rule.methods or set()) - IGNORED_METHODS):
            paths.setdefault(openapi_path(rule.rule), {})[method.lower()] = _operation(
                app, rule, method)
    return {
        "openapi": "3.0.3",
        "info": {"title": f"{app.config['DISTRICT_NAME']} · landgis API", "version": "1.0.0",
                 "description": "Published land parcels: OGC API - Features (Part 1 Core, "
                                "GeoJSON, HTML, queryables; staff edit parcels with PATCH) and "
                                "OGC API - Tiles (Mapbox vector tiles, WebMercatorQuad). HTML "
                                "pages: add f=html. Errors are JSON {code, description}; the "
                                "codes are stable.",
                 "license": {"name": "Apache-2.0"}},
        "servers": [{"url": api_url("api.landing")}],
        "tags": TAGS,
        "paths": paths,
        "components": {"schemas": component_schemas(),
                       "securitySchemes": security_schemes(app)},
    }
