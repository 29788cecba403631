"""Fixtures and helpers for staff editing tests: accounts, logins, CSRF tokens, form values.

Loaded for every test through `pytest_plugins` in tests/conftest.py.
"""

import re
from functools import cache
from html.parser import HTMLParser

import pytest

from tests.conftest import DATA, make_app

PASSWORD = "correct horse battery"
ROLE_USERS = {"viewer": "vera", "editor": "eddie", "admin": "ada"}


@cache
def password_hash() -> str:
    """One scrypt hash of PASSWORD, computed once: hashing is slow on purpose."""
    from webapp.auth.passwords import hash_password

    return hash_password(PASSWORD)


def add_staff(app, users: dict[str, str] | None = None) -> dict[str, object]:
    """Create accounts (role → name) in the app's store, all with PASSWORD."""
    store = app.extensions["landgis.store"]
    return {role: store.add_user(name, role, password_hash())
            for role, name in (users or ROLE_USERS).items()}


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
    user = app.extensions["landgis.store"].get_user(ROLE_USERS[role])
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


class _FormParser(HTMLParser):
    def __init__(self, action: str | None) -> None:
        super().__init__()
        self.action, self.inside, self.values = action, False, {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = self.action is None or a.get("action") == self.action
        elif not self.inside:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.values[a["name"]] = a.get("value", "on")
            else:
                self.values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
            self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_values(html: str, action: str | None = None) -> dict[str, str]:
    """What a browser would submit from the form posting to `action` (first form if None)."""
    parser = _FormParser(action)
    parser.feed(html)
    return parser.values


def edit_form(client, parcel_id: int) -> dict[str, str]:
    """The values of a parcel's edit form as a browser would send them back unchanged."""
    html = client.get(f"/admin/parcels/{parcel_id}/edit").get_data(as_text=True)
    return form_values(html, f"/admin/parcels/{parcel_id}/edit")
