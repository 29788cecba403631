"""Fixtures and helpers for staff editing tests: accounts, logins, CSRF tokens, form values.

Loaded for every test through `pytest_plugins` in tests/conftest.py.
"""

import re
from functools import cache

import pytest

from tests.conftest import DATA, make_app
from tests.forms import form_values

PASSWORD = "correct horse battery"
ROLE_USERS = {"viewer": "vera", "editor": "eddie", "admin": "ada"}


@cache
def password_hash() -> str:
    """One scrypt hash of PASSWORD, computed once: hashing is slow on purpose."""
    from webapp.auth.passwords import hash_password

    return hash_password(PASSWORD)


def add_staff(app, accounts: dict[str, str] | None = None) -> dict[str, object]:
    """Create accounts (name → role; default ROLE_USERS) in the app's store, all with PASSWORD."""
    store = app.extensions["landgis.store"]
    accounts = accounts or {name: role for role, name in ROLE_USERS.items()}
    return {name: store.staff.add_user(name, role, password_hash())
            for name, role in accounts.items()}


@pytest.fixture
def staff_app(tmp_path):
    """The four-parcel app with a viewer, an editor and an admin (see ROLE_USERS)."""
    app = make_app(tmp_path, DATA / "small.geojson")
    add_staff(app)
    return app


@pytest.fixture
def staff_store(staff_app):
    """The store of staff_app."""
    return staff_app.extensions["landgis.store"]


def client_as(app, role: str | None):
    """A test client logged in as ROLE_USERS[role] through its session (no password check);
    role None gives an anonymous client."""
    client = app.test_client()
    if role is None:
        return client
    user = app.extensions["landgis.store"].staff.get_user(ROLE_USERS[role])
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.login_epoch}"
        session["_fresh"] = True
    return client


@pytest.fixture
def editor_client(staff_app):
    """A client logged in as the editor."""
    return client_as(staff_app, "editor")


@pytest.fixture
def viewer_client(staff_app):
    """A client logged in as the viewer."""
    return client_as(staff_app, "viewer")


@pytest.fixture
def admin_client(staff_app):
    """A client logged in as the admin."""
    return client_as(staff_app, "admin")


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str = "/auth/login") -> str:
    """The CSRF token of the client's session, read from a page with a form."""
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def login(client, name: str, password: str = PASSWORD, next_url: str | None = None):
    """Log in through the login form; returns the POST response."""
    data = {"csrf_token": csrf_token(client), "name": name, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/auth/login", data=data)


def edit_form(client, parcel_id: int) -> dict[str, str]:
    """The values of a parcel's edit form as a browser would send them back unchanged."""
    html = client.get(f"/admin/parcels/{parcel_id}/edit").get_data(as_text=True)
    return form_values(html, f"/admin/parcels/{parcel_id}/edit")
