"""The OpenAPI 3.0 document, assembled from the app's /api routes and the parameter registry.

Every /api route appears: views declared with @api_operation in full, others (added by other
blueprints) with their docstring and path parameters, so the document cannot drift.
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
TAGS = [{"name": "capabilities", "description": "Landing page, conformance, collections"},
        {"name": "features", "description": "Parcels as GeoJSON features (OGC API - Features)"},
        {"name": "tiles", "description": "Mapbox vector tiles (OGC API - Tiles, TileJSON)"}]
ERROR = {"content": {"application/json": {"schema": ref("Exception")}}}


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


def _declared(operation: Operation) -> dict:
    content = {media: {"schema": _content_schema(media, name)}
               for media, name in operation.content.items()}
    return {
        "tags": [operation.tag],
        "parameters": [parameters()[name].openapi() for name in operation.parameters],
        "responses": {
            "200": {"description": "Success", "content": content},
            "304": {"description": "Not modified (the ETag given in If-None-Match matches)"},
            "400": {"description": "A parameter is unknown or has an invalid value"} | ERROR,
            "404": {"description": "Not found"} | ERROR,
        },
    }


def _undeclared(rule: Rule) -> dict:
    return {"parameters": [{"name": name, "in": "path", "required": True,
                            "schema": {"type": "string"}} for name in sorted(rule.arguments)],
            "responses": {"default": {"description": "See the summary"}}}


def _operation(app: Flask, rule: Rule) -> dict:
    view = app.view_functions[rule.endpoint]
    declared = operation_of(view)
    body = _declared(declared) if declared else _undeclared(rule)
    return {"summary": _summary(view), "operationId": rule.endpoint} | body


def api_rules(app: Flask) -> list[Rule]:
    """The app's routes under /api, in path order."""
    return sorted((r for r in app.url_map.iter_rules()
                   if r.rule == API_PREFIX or r.rule.startswith(API_PREFIX + "/")),
                  key=lambda r: r.rule)


def build_openapi(app: Flask) -> dict:
    """The OpenAPI 3.0 document of every /api route (server URL: this request's /api)."""
    paths: dict[str, dict] = {}
    for rule in api_rules(app):
        for method in sorted((rule.methods or set()) - IGNORED_METHODS):
            paths.setdefault(openapi_path(rule.rule), {})[method.lower()] = _operation(app, rule)
    return {
        "openapi": "3.0.3",
        "info": {"title": f"{app.config['DISTRICT_NAME']} · landgis API", "version": "1.0.0",
                 "description": "Published land parcels: OGC API - Features (Part 1 Core, "
                                "GeoJSON, HTML, queryables) and OGC API - Tiles (Mapbox vector "
                                "tiles, WebMercatorQuad). HTML pages: add f=html.",
                 "license": {"name": "Apache-2.0"}},
        "servers": [{"url": api_url("api.landing")}],
        "tags": TAGS,
        "paths": paths,
        "components": {"schemas": component_schemas()},
    }
