"""Disabling an account, changing its role or its password ends or narrows its open sessions at
their next request (issue 14); the same with `landgis user` is in tests/cli/test_user_cli.py."""

import pytest

from tests.editing_fixtures import ROLE_USERS, add_staff, client_as, csrf_token

EDITOR = ROLE_USERS["editor"]


def set_account(admin_client, user_id: int, role: str, active: bool):
    """Submit the admin page's account form."""
    data = {"csrf_token": csrf_token(admin_client, "/admin/users"), "role": role}
    if active:
        data["active"] = "yes"
    return admin_client.post(f"/admin/users/{user_id}", data=data)


def test_admin_page_disable_logs_the_open_session_out(staff_app, staff_store, admin_client):
    editor = client_as(staff_app, "editor")
    set_account(admin_client, staff_store.staff.get_user(EDITOR).id, "editor", active=False)
    assert editor.get("/admin/parcels").status_code == 302


def test_admin_page_enable_again_does_not_revive_the_old_session(staff_app, staff_store,
                                                                 admin_client):
    editor = client_as(staff_app, "editor")
    user_id = staff_store.staff.get_user(EDITOR).id
    set_account(admin_client, user_id, "editor", active=False)
    set_account(admin_client, user_id, "editor", active=True)
    assert editor.get("/admin/parcels").status_code == 302


def test_demoted_admin_loses_admin_rights_at_the_next_request(staff_app, staff_store):
    add_staff(staff_app, {"root": "admin"})  # a second admin, so one may be demoted
    ada = client_as(staff_app, "admin")
    assert ada.get("/admin/users").status_code == 200
    root = staff_app.test_client()
    with root.session_transaction() as session:
        user = staff_store.staff.get_user("root")
        session["_user_id"] = f"{user.id}:{user.login_epoch}"
    set_account(root, staff_store.staff.get_user(ROLE_USERS["admin"]).id, "viewer", active=True)
    assert ada.get("/admin/users").status_code == 403
    assert ada.get("/admin/parcels").status_code == 200  # still a viewer


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_role_change_keeps_the_session_with_the_new_role(staff_app, staff_store, admin_client,
                                                         role):
    editor = client_as(staff_app, "editor")
    set_account(admin_client, staff_store.staff.get_user(EDITOR).id, role, active=True)
    assert editor.get("/admin/parcels").status_code == 200
    assert editor.get("/imports/").status_code == (200 if role == "editor" else 403)


@pytest.mark.parametrize("session_id", ["²:1", "1:²", "99999999999999999999999:1", "1:", ":1",
                                        "١:1", "x:y", ""])
def test_odd_session_identity_is_anonymous_not_500(staff_app, session_id):
    client = staff_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
    assert client.get("/admin/parcels").status_code == 302
