"""PATCH /api/collections/parcels/items/{id}: staff change a parcel through the API.

OGC API - Features Part 4 style: the body is a JSON merge patch of editable properties (or a
partial Feature carrying them). The request names the version it is based on with If-Match (the
ETag of a GET): a stale ETag gets 412 with the current ETag, a missing one 428. The same roles
and CSRF rules as the edit pages apply: a browser session sends its token in X-CSRFToken.
"""

import json

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from shapely.geometry import mapping
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.admin.editing import save_parcel_edit
from webapp.admin.ids import parse_parcel_number
from webapp.api import bp
from webapp.api.media import GEOJSON, JSON, MERGE_PATCH
from webapp.api.operations import api_operation
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

MAX_BODY_BYTES = 64 * 1024
PATCH_TYPES = (JSON, MERGE_PATCH, GEOJSON)


def expected_version(if_match: str | None, parcel_id: int) -> int | None:
    """The version If-Match names, None when VERSION_CHECKS is off; 428 when it is missing,
    -1 when it names no version of this parcel (never current, so 412)."""
    if not current_app.config["VERSION_CHECKS"]:
        return None
    header = (if_match or "").strip()
    if not header or header == "*":
        raise PreconditionRequiredError(_(
            "Send If-Match with the ETag of the parcel you are changing (GET it first)."))
    prefix = f'"{parcel_id}-'
    for tag in (t.strip() for t in header.split(",")):
        if tag.startswith(prefix) and tag.endswith('"') and tag[len(prefix):-1].isdigit():
            return int(tag[len(prefix):-1])
    return -1


def parse_patch_body() -> dict[str, object]:
    """The properties to change: a JSON object, either a (partial) Feature or the properties."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise RequestEntityTooLarge()
    if request.mimetype not in PATCH_TYPES:
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


def save_api_edit(parcel_id: int, changes: dict[str, object], version: int | None) -> Parcel:
    """Save the changes as the logged-in editor (audit source `api`); a parcel no longer at
    `version` is PreconditionFailedError carrying the stored parcel."""
    try:
        return save_parcel_edit(get_store(), get_landuse_table(), parcel_id, changes, version,
                                current_actor(), "api")
    except ConflictError as error:
        raise PreconditionFailedError(_(
            "The parcel has changed since you read it (now version %(version)s). GET it again "
            "and repeat your change.", version=error.current.version), error.current) from None


def edited_feature(parcel: Parcel) -> dict:
    """The saved parcel as a GeoJSON Feature with its version and every stored field."""
    properties = {k: v for k, v in vars(parcel).items() if k not in ("id", "geometry")}
    geometry = mapping(parcel.geometry) if parcel.geometry is not None else None
    return {"type": "Feature", "id": parcel.id, "geometry": geometry, "properties": properties}


@bp.patch("/collections/parcels/items/<feature_id>")
@role_required("editor")
@api_operation(("lang", "feature_id", "If-Match"), {JSON: "EditedFeature"},
               extra_statuses=(412, 413, 422, 428), response_headers=("ETag",),
               request_body=dict.fromkeys(PATCH_TYPES, "ParcelPatch"))
def update_item(query: dict):
    """Change some properties of one parcel (drafts included), if it is still at the version
    If-Match names; needs an editor's session and its CSRF token."""
    parcel_id = parse_parcel_number(query["feature_id"])
    version = expected_version(query["If-Match"], parcel_id)
    saved = save_api_edit(parcel_id, parse_patch_body(), version)
    response = jsonify(edited_feature(saved))
    response.headers["ETag"] = parcel_etag(saved)
    return response
