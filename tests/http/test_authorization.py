"""Every route × method of the app's URL map, as anonymous, viewer, editor and admin.

The cases are generated from `app.url_map`, so a new route is tested as soon as it exists; a
write route without @role_required fails here (unless it is one of OPEN_WRITES). Each request
carries a valid CSRF token and, for the routes in REQUIRED_ROLE, a payload that would succeed
for the right role, so a refusal is the role check at work: without the role the store stays
exactly as it was, with it the write lands.
"""

import itertools
import re
import tempfile
from pathlib import Path

import pytest

from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff, client_as, csrf_token, edit_form
from webapp.domain.accounts import role_includes
from webapp.domain.audit import ChangeFilter

ROLES = (None, "viewer", "editor", "admin")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
REQUIRED_ROLE = {
    "admin.home": "viewer", "admin.parcels": "viewer", "admin.changes": "viewer",
    "admin.edit_parcel": "editor", "admin.edit_parcel_submit": "editor",
    "api.update_item": "editor",
    "admin.restore": "admin", "admin.restore_submit": "admin",
    "admin.users": "admin", "admin.create_user": "admin", "admin.user": "admin",
    "admin.update_user": "admin", "admin.reset_user_password": "admin",
}
OPEN_WRITES = {"auth.login_submit", "auth.logout"}  # anyone may try; they change no stored data
TARGET = "target-account"  # the account the account pages change (never a test client)
_names = itertools.count()


def route_cases() -> list[tuple[str, str, str]]:
    """(endpoint, rule, method) for every rule and method of a freshly built app."""
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder), DATA / "small.geojson")
        return sorted((rule.endpoint, rule.rule, method) for rule in app.url_map.iter_rules()
                      for method in rule.methods - {"HEAD", "OPTIONS"})


def pytest_generate_tests(metafunc):
    if "route" in metafunc.fixturenames:
        cases = [(case, role) for case in route_cases() for role in ROLES]
        ids = [f"{m} {r} as {role or 'anonymous'}" for (_e, r, m), role in cases]
        metafunc.parametrize(("route", "role"), cases, ids=ids)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app for the module: accounts, a target account and one audited change."""
    app = make_app(tmp_path_factory.mktemp("authz"), DATA / "small.geojson")
    add_staff(app)
    store = app.extensions["landgis.store"]
    store.staff.add_user(TARGET, "viewer", "not-a-real-hash")
    store.update_parcel(1, {"contact": "before"}, None, "ada", "form")  # admins restore it
    return app


def fingerprint(store) -> tuple:
    """Everything a write could change: parcel versions, accounts, the audit trail."""
    from webapp.domain.filters import ParcelFilter

    parcels = store.query(ParcelFilter(include_drafts=True), with_geometry=False).parcels
    return (tuple((p.id, p.version) for p in parcels), tuple(store.staff.users()),
            store.changes(ChangeFilter()).number_matched)


def url_values(store) -> dict[str, str]:
    return {"parcel_id": "1", "feature_id": "1", "key": "T-001", "file_format": "csv",
            "filename": "landgis/site.css", "z": "0", "x": "0", "y": "0",
            "user_id": str(store.staff.get_user(TARGET).id),
            "change_id": str(store.changes(ChangeFilter()).changes[-1].id)}


def build_url(rule: str, store) -> str:
    """The rule with a real value in each variable (an unknown variable gets "1")."""
    values = url_values(store)
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "1"), rule)


def write_payload(endpoint: str, app, store) -> dict:
    """Request arguments of a write that would succeed for the right role."""
    version = store.get(1, include_drafts=True).version
    password = {"password": "a long password", "password_confirm": "a long password"}
    target_role = "editor" if store.staff.get_user(TARGET).role == "viewer" else "viewer"
    payloads = {
        "admin.edit_parcel_submit": lambda: {"data": {
            **edit_form(client_as(app, "editor"), 1), "note": f"n{next(_names)}"}},
        "api.update_item": lambda: {"json": {"note": f"api{next(_names)}"},
                                           "headers": {"If-Match": f'"1-{version}"'}},
        "admin.restore_submit": lambda: {"data": {"version": str(version)}},
        "admin.create_user": lambda: {"data": {"name": f"new{next(_names)}", "role": "viewer",
                                               **password}},
        "admin.update_user": lambda: {"data": {"role": target_role, "active": "yes"}},
        "admin.reset_user_password": lambda: {"data": password},
    }
    return payloads.get(endpoint, lambda: {"data": {}})()


def send(app, route, role):
    endpoint, rule, method = route
    store = app.extensions["landgis.store"]
    client = client_as(app, role)
    token = csrf_token(client, "/" if role else "/auth/login")
    kwargs = write_payload(endpoint, app, store) if method in WRITE_METHODS else {}
    headers = {"X-CSRFToken": token, **kwargs.pop("headers", {})}
    if "data" in kwargs:
        kwargs["data"] = {**kwargs["data"], "csrf_token": token}
    # buffered: the body is read and the response closed, as a server does (a streamed export
    # holds one of EXPORT_MAX_CONCURRENT slots until its response is closed)
    return client.open(build_url(rule, store), method=method, headers=headers, buffered=True,
                       **kwargs)


def refused(response, role) -> bool:
    if role is None:
        return response.status_code == 401 or (
            response.status_code == 302 and "/auth/login" in response.headers["Location"])
    return response.status_code == 403


def required_role(app, endpoint: str) -> str | None:
    """The role a route declares with @role_required (checked against REQUIRED_ROLE)."""
    declared = getattr(app.view_functions[endpoint], "required_role", None)
    assert declared == REQUIRED_ROLE.get(endpoint, declared), f"{endpoint} needs another role"
    return declared


def test_route_enforces_role(app, route, role):
    endpoint, _rule, method = route
    store = app.extensions["landgis.store"]
    needed = required_role(app, endpoint)
    if method in WRITE_METHODS and needed is None and endpoint not in OPEN_WRITES:
        pytest.fail(f"{method} {endpoint} writes but has no @role_required")
    before = fingerprint(store)
    response = send(app, route, role)
    if needed is None:
        assert response.status_code < 500
    elif role is None or not role_includes(role, needed):
        assert refused(response, role), (response.status_code, response.text[:300])
        assert fingerprint(store) == before, "a refused request changed stored data"
    elif method in WRITE_METHODS and endpoint in REQUIRED_ROLE:
        assert response.status_code in (200, 302), (response.status_code, response.text[:300])
        assert fingerprint(store) != before, "the allowed write changed nothing"
    elif endpoint in REQUIRED_ROLE:
        assert response.status_code in (200, 302)
    else:  # another package's route: allowed, but this test has no valid payload for it
        assert response.status_code < 500


def test_every_declared_route_exists(app):
    assert set(REQUIRED_ROLE) <= {rule.endpoint for rule in app.url_map.iter_rules()}
