"""Admins manage accounts in the web UI: create, role, disable, new password."""

import re

import pytest

from tests.editing_fixtures import ROLE_USERS, client_as, csrf_token, login


def create(client, **fields):
    data = {"csrf_token": csrf_token(client, "/admin/users"), "name": "lily", "role": "editor",
            "password": "a long password", "password_confirm": "a long password", **fields}
    return client.post("/admin/users?lang=en", data=data)


def field_error(html, name):
    match = re.search(rf'<p class="field-error" id="{name}-error">([^<]*)</p>', html)
    return match.group(1) if match else ""


def test_accounts_page_lists_every_account(admin_client):
    html = admin_client.get("/admin/users").text
    assert all(f'data-name="{name}"' in html for name in ROLE_USERS.values())


def test_accounts_page_never_shows_password_hashes(admin_client):
    assert "scrypt:" not in admin_client.get("/admin/users").text


def test_admin_creates_account_that_can_log_in(staff_app, admin_client, staff_store):
    response = create(admin_client)
    assert response.status_code == 302 and staff_store.staff.get_user("lily").role == "editor"
    assert login(staff_app.test_client(), "lily", "a long password").status_code == 302


def test_created_password_is_hashed_with_scrypt(admin_client, staff_store):
    create(admin_client)
    assert staff_store.staff.get_user("lily").password_hash.startswith("scrypt:")


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"name": "x"}, "name", "use 2 to 40 letters, digits or . @ - _"),
    ({"name": "EDDIE"}, "name", "the name “EDDIE” is already taken"),
    ({"role": "root"}, "role", "unknown role “root”; use one of viewer, editor, admin"),
    ({"password": "short", "password_confirm": "short"}, "password",
     "use 10 to 200 characters"),
    ({"password_confirm": "another long one"}, "password_confirm", "the two passwords differ"),
])
def test_create_account_bad_field_gets_message(admin_client, fields, field, message):
    response = create(admin_client, **fields)
    assert response.status_code == 422 and field_error(response.text, field) == message


def test_create_account_bad_field_keeps_name_not_password(admin_client):
    html = create(admin_client, password_confirm="differs from it").text
    assert 'value="lily"' in html and "a long password" not in html


def update(client, user_id, **fields):
    data = {"csrf_token": csrf_token(client, "/admin/users"), **fields}
    return client.post(f"/admin/users/{user_id}?lang=en", data=data)


def test_admin_changes_role(admin_client, staff_store):
    user = staff_store.staff.get_user(ROLE_USERS["viewer"])
    update(admin_client, user.id, role="editor", active="yes")
    assert staff_store.staff.get_user(user.id).role == "editor"


def test_admin_disables_account(admin_client, staff_store):
    user = staff_store.staff.get_user(ROLE_USERS["editor"])
    update(admin_client, user.id, role="editor")
    assert staff_store.staff.get_user(user.id).active is False


def test_last_admin_cannot_demote_themselves(admin_client, staff_store):
    user = staff_store.staff.get_user(ROLE_USERS["admin"])
    response = update(admin_client, user.id, role="editor", active="yes")
    assert response.status_code == 422
    assert field_error(response.text, "role") == "at least one active admin must remain"


def test_admin_sets_new_password(staff_app, admin_client, staff_store):
    user = staff_store.staff.get_user(ROLE_USERS["editor"])
    admin_client.post(f"/admin/users/{user.id}/password", data={
        "csrf_token": csrf_token(admin_client, "/admin/users"), "password": "brand new secret",
        "password_confirm": "brand new secret"})
    assert login(staff_app.test_client(), user.name, "brand new secret").status_code == 302


def test_unknown_account_is_404(admin_client):
    assert admin_client.get("/admin/users/999").status_code == 404


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_accounts_pages_need_admin(staff_app, role):
    assert client_as(staff_app, role).get("/admin/users").status_code == 403
