"""PATCH /api/collections/parcels/items/{id}: If-Match (412/428), roles, CSRF, validation."""

import json

import pytest

from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff, client_as, csrf_token
from webapp.domain.audit import ChangeFilter

ITEM = "/api/collections/parcels/items/{}"


def item_url(store, code="T-001"):
    return ITEM.format(store.get(code, include_drafts=True).id)


def patch(client, url, body, etag=None, token=True, content_type="application/json"):
    headers = {"Content-Type": content_type, "Accept-Language": "en"}
    if etag is not None:
        headers["If-Match"] = etag
    if token:
        headers["X-CSRFToken"] = csrf_token(client, "/admin/parcels" if token is True else token)
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.patch(url + "?lang=en", data=data, headers=headers)


def current_etag(client, url):
    """The ETag a GET of the item gives (the page and API share parcel_etag)."""
    return client.get(url).headers["ETag"]


def test_api_patch_with_current_etag_saves_and_returns_new_etag(editor_client, staff_store):
    url = item_url(staff_store)
    response = patch(editor_client, url, {"status": "sold"}, current_etag(editor_client, url))
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{staff_store.get("T-001").id}-2"'
    assert response.json["properties"]["status"] == "sold"
    assert response.json["properties"]["version"] == 2


def test_api_patch_accepts_partial_feature(editor_client, staff_store):
    url = item_url(staff_store)
    body = {"type": "Feature", "properties": {"price_start_wan": 321}}
    assert patch(editor_client, url, body, current_etag(editor_client, url)).status_code == 200
    assert staff_store.get("T-001").price_start_wan == 321.0


def test_api_patch_is_audited_as_api(editor_client, staff_store):
    url = item_url(staff_store)
    patch(editor_client, url, {"note": "via API"}, current_etag(editor_client, url))
    change = staff_store.changes(ChangeFilter()).changes[0]
    assert (change.field, change.new_value, change.actor, change.source) == (
        "note", "via API", "eddie", "api")


def test_api_patch_without_if_match_is_428(editor_client, staff_store):
    response = patch(editor_client, item_url(staff_store), {"status": "sold"})
    assert response.status_code == 428
    assert response.json == {"code": "PreconditionRequired", "description": (
        "Send If-Match with the ETag of the parcel you are changing (GET it first).")}


def test_api_patch_with_wildcard_if_match_is_428(editor_client, staff_store):
    assert patch(editor_client, item_url(staff_store), {"status": "sold"}, "*").status_code == 428


@pytest.mark.parametrize("etag", ['"1-0"', 'W/"1-1"', '"2-1"', '"garbage"'])
def test_api_patch_with_stale_or_foreign_etag_is_412(editor_client, staff_store, etag):
    response = patch(editor_client, item_url(staff_store), {"status": "sold"}, etag)
    assert response.status_code == 412 and staff_store.get("T-001").status == "available"


def test_api_patch_stale_answer_names_current_etag(editor_client, staff_store):
    url = item_url(staff_store)
    old = current_etag(editor_client, url)
    patch(editor_client, url, {"status": "sold"}, old)
    response = patch(editor_client, url, {"status": "reserve"}, old)
    assert response.status_code == 412 and response.headers["ETag"] == current_etag(
        editor_client, url)
    assert "now version 2" in response.json["description"]


def test_api_patch_if_match_list_may_contain_current_etag(editor_client, staff_store):
    url = item_url(staff_store)
    etags = f'"x-1", {current_etag(editor_client, url)}'
    assert patch(editor_client, url, {"status": "sold"}, etags).status_code == 200


def test_api_patch_if_match_may_come_in_several_header_fields(editor_client, staff_store):
    url = item_url(staff_store)
    headers = [("If-Match", '"x-1"'), ("If-Match", current_etag(editor_client, url)),
               ("X-CSRFToken", csrf_token(editor_client, "/admin/parcels"))]
    response = editor_client.patch(url, json={"status": "sold"}, headers=headers)
    assert response.status_code == 200 and staff_store.get("T-001").status == "sold"


def test_api_patch_unknown_query_parameter_is_400(editor_client, staff_store):
    url = item_url(staff_store)
    headers = {"If-Match": current_etag(editor_client, url),
               "X-CSRFToken": csrf_token(editor_client, "/admin/parcels")}
    response = editor_client.patch(url + "?lang=en&dry_run=1", json={"status": "sold"},
                                   headers=headers)
    assert (response.status_code, response.json) == (400, {
        "code": "InvalidParameterValue",
        "description": "dry_run: unknown parameter; this address accepts lang"})
    assert staff_store.get("T-001").status == "available"


def test_api_patch_without_csrf_token_is_refused(editor_client, staff_store):
    url = item_url(staff_store)
    response = patch(editor_client, url, {"status": "sold"}, current_etag(editor_client, url),
                     token=False)
    assert response.status_code == 400 and response.json["code"] == "InvalidCsrfToken"


def test_api_patch_anonymous_is_401(staff_app, staff_store):
    client = staff_app.test_client()
    url = item_url(staff_store)
    response = patch(client, url, {"status": "sold"}, '"1-1"', token="/auth/login")
    assert response.status_code == 401 and response.json["code"] == "AuthenticationRequired"


def test_api_patch_viewer_is_403(viewer_client, staff_store):
    url = item_url(staff_store)
    response = patch(viewer_client, url, {"status": "sold"}, current_etag(viewer_client, url))
    assert response.status_code == 403 and staff_store.get("T-001").status == "available"


@pytest.mark.parametrize(("body", "description"), [
    ({"status": "gone"}, "status: unknown value “gone”; use one of available, negotiating, "
                         "sold, reserve"),
    ({"far_min": -1}, "far_min: must be a number ≥ 0"),
    ({"far_min": 9}, "far_min: the minimum is larger than the maximum; far_max: the maximum is "
                     "smaller than the minimum"),
    ({"area_m2": 5}, "area_m2: is computed and cannot be edited"),
    ({"lease_years": "many"}, "lease_years: “many” is not a number"),
])
def test_api_patch_bad_value_is_422_with_message(editor_client, staff_store, body, description):
    url = item_url(staff_store, "T-002")  # far_max 2.0
    response = patch(editor_client, url, body, current_etag(editor_client, url))
    assert response.status_code == 422 and response.json["description"] == description


@pytest.mark.parametrize(("body", "content_type", "status", "description"), [
    ("{not json", "application/json", 400, "body: is not valid JSON"),
    ([1, 2], "application/json", 400, "body: must be a JSON object"),
    ({}, "application/json", 400, "properties: must be a non-empty JSON object"),
    ({"geometry": None, "properties": {"note": "x"}}, "application/json", 400,
     "geometry: cannot be changed through the API"),
    ({"note": "x"}, "text/plain", 400, "Content-Type: send the changes as application/json"),
])
def test_api_patch_bad_body_is_refused(editor_client, staff_store, body, content_type, status,
                                       description):
    url = item_url(staff_store)
    response = patch(editor_client, url, body, current_etag(editor_client, url),
                     content_type=content_type)
    assert (response.status_code, response.json["description"]) == (status, description)


def test_api_patch_merge_patch_media_type_is_accepted(editor_client, staff_store):
    url = item_url(staff_store)
    response = patch(editor_client, url, {"note": "x"}, current_etag(editor_client, url),
                     content_type="application/merge-patch+json")
    assert response.status_code == 200


def test_api_patch_too_large_body_is_413(editor_client, staff_store):
    url = item_url(staff_store)
    response = patch(editor_client, url, {"note": "x" * 70_000}, current_etag(editor_client, url))
    assert response.status_code == 413


def test_api_patch_unknown_parcel_is_404(editor_client):
    assert patch(editor_client, ITEM.format(999), {"note": "x"}, '"999-1"').status_code == 404


def test_api_patch_non_numeric_id_is_404(editor_client):
    assert patch(editor_client, ITEM.format("T-001"), {"note": "x"}, '"1-1"').status_code == 404


def test_api_patch_without_version_checks_needs_no_if_match(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson", VERSION_CHECKS=False)
    add_staff(app)
    store = app.extensions["landgis.store"]
    response = patch(client_as(app, "editor"), item_url(store), {"status": "sold"})
    assert response.status_code == 200 and store.get("T-001").status == "sold"


def test_api_patch_is_not_offered_cross_origin(editor_client, staff_store):
    response = editor_client.options(item_url(staff_store), headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "PATCH"})
    assert "PATCH" not in response.headers.get("Access-Control-Allow-Methods", "")
