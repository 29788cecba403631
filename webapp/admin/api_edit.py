"""PATCH /api/collections/parcels/items/{id}: edit through the API (OGC API - Features Part 4).

The request names the version it is based on with If-Match (the ETag of a GET): a stale ETag
gets 412, a missing one 428. The same roles and CSRF rules as the edit pages apply: a browser
session sends its token in the X-CSRFToken header.
"""

import json

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from shapely.geometry import mapping
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.admin.editing import save_parcel_edit
from webapp.admin.ids import parse_parcel_number
from webapp.auth.roles import current_actor, role_required
from webapp.domain.errors import (
    ConflictError,
    InvalidParameterError,
    PreconditionFailedError,
    PreconditionRequiredError,
)
from webapp.domain.messages import N_
from webapp.domain.parcel import Parcel, parcel_etag
from webapp.services import get_landuse_table, get_store

bp = Blueprint("admin_api", __name__)
MAX_BODY_BYTES = 64 * 1024
JSON_TYPES = ("application/json", "application/merge-patch+json", "application/geo+json")


def parse_if_match(parcel_id: int) -> int | None:
    """The version named by If-Match, None when VERSION_CHECKS is off; 428 when missing."""
    if not current_app.config["VERSION_CHECKS"]:
        return None
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise PreconditionRequiredError(_(
            "Send If-Match with the ETag of the parcel you are changing (GET it first)."))
    for tag in (t.strip() for t in header.split(",")):
        prefix = f'"{parcel_id}-'
        if tag.startswith(prefix) and tag.endswith('"') and tag[len(prefix):-1].isdigit():
            return int(tag[len(prefix):-1])
    return -1  # names no version of this parcel: can never match, so 412


def parse_patch_body() -> dict[str, object]:
    """The properties to change: a JSON object, either a (partial) Feature or the properties."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise RequestEntityTooLarge()
    if request.mimetype not in JSON_TYPES:
        raise InvalidParameterError("Content-Type", N_("send the changes as application/json"))
    try:
        body = json.loads(request.get_data(as_text=True) or "null")
    except ValueError:
        raise InvalidParameterError("body", N_("is not valid JSON")) from None
    if not isinstance(body, dict):
        raise InvalidParameterError("body", N_("must be a JSON object"))
    if "geometry" in body:
        raise InvalidParameterError("geometry", N_("cannot be changed through the API"))
    properties = body.get("properties", body)
    if not isinstance(properties, dict) or not properties:
        raise InvalidParameterError("properties", N_("must be a non-empty JSON object"))
    return {k: v for k, v in properties.items() if k not in ("type", "id")}


def feature_json(parcel: Parcel) -> dict:
    """The saved parcel as a GeoJSON Feature with its version."""
    properties = {k: v for k, v in vars(parcel).items() if k not in ("id", "geometry")}
    geometry = mapping(parcel.geometry) if parcel.geometry is not None else None
    return {"type": "Feature", "id": parcel.id, "geometry": geometry, "properties": properties}


@bp.patch("/api/collections/parcels/items/<feature_id>")
@role_required("editor")
def patch_parcel(feature_id: str):
    """Change some properties of one parcel, if it is still at the version If-Match names."""
    parcel_id = parse_parcel_number(feature_id)
    expected = parse_if_match(parcel_id)
    try:
        saved = save_parcel_edit(get_store(), get_landuse_table(), parcel_id,
                                 parse_patch_body(), expected, current_actor(), "api")
    except ConflictError as error:
        raise PreconditionFailedError(_(
            "The parcel has changed since you read it (now version %(version)s). GET it again "
            "and repeat your change.", version=error.current.version), error.current) from None
    response = jsonify(feature_json(saved))
    response.headers["ETag"] = parcel_etag(saved)
    return response
