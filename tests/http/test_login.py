"""Staff login: cookies, CSRF, safe redirects, throttling, sessions that end."""

import re

import pytest

from tests.conftest import DATA, make_app
from tests.editing_fixtures import PASSWORD, ROLE_USERS, add_staff, client_as, csrf_token, login

EDITOR = ROLE_USERS["editor"]


def cookie_header(response, name: str) -> str:
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(name + "="))


def test_login_page_has_form_with_csrf_token(client):
    html = client.get("/auth/login?lang=en").get_data(as_text=True)
    assert 'name="csrf_token"' in html and 'autocomplete="current-password"' in html


def test_login_success_redirects_to_staff_start(staff_app):
    response = login(staff_app.test_client(), EDITOR)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/parcels"


def test_login_name_is_case_insensitive(staff_app):
    assert login(staff_app.test_client(), EDITOR.upper()).status_code == 302


def test_login_wrong_password_shows_message(staff_app):
    response = login(staff_app.test_client(), EDITOR, "wrong password", )
    assert response.status_code == 200
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_login_unknown_name_gets_same_message(staff_app):
    response = login(staff_app.test_client(), "nobody", PASSWORD)
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_login_disabled_account_is_refused(staff_app, staff_store):
    staff_store.staff.update_user(staff_store.staff.get_user(EDITOR).id, active=False)
    assert login(staff_app.test_client(), EDITOR).status_code == 200


def test_login_without_csrf_token_is_refused(staff_app):
    response = staff_app.test_client().post("/auth/login?lang=en",
                                            data={"name": EDITOR, "password": PASSWORD})
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)


def test_login_session_cookie_is_httponly_lax_and_short(staff_app):
    cookie = cookie_header(login(staff_app.test_client(), EDITOR), "session")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert "Expires=" in cookie  # a permanent session of SESSION_HOURS, not 31 days


def test_login_cookies_are_secure_under_https(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson", HTTPS=True)
    add_staff(app)
    client = app.test_client()
    token = csrf_token(client, "https://localhost/auth/login")
    response = client.post("https://localhost/auth/login",
                           data={"csrf_token": token, "name": EDITOR, "password": PASSWORD,
                                 "remember": "yes"},
                           headers={"Referer": "https://localhost/auth/login"})
    assert "Secure" in cookie_header(response, "session")
    assert "Secure" in cookie_header(response, "remember_token")


def test_login_remember_cookie_is_httponly_lax_and_two_weeks(staff_app):
    client = staff_app.test_client()
    response = client.post("/auth/login", data={"csrf_token": csrf_token(client), "name": EDITOR,
                                                "password": PASSWORD, "remember": "yes"})
    cookie = cookie_header(response, "remember_token")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert staff_app.config["REMEMBER_COOKIE_DURATION"].days == 14


def test_login_without_remember_sets_no_remember_cookie(staff_app):
    response = login(staff_app.test_client(), EDITOR)
    assert not any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))


def test_login_keeps_safe_next(staff_app):
    response = login(staff_app.test_client(), EDITOR, next_url="/admin/parcels/2/edit")
    assert response.headers["Location"] == "/admin/parcels/2/edit"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example",
                                    "javascript:alert(1)"])
def test_login_ignores_unsafe_next(staff_app, target):
    response = login(staff_app.test_client(), EDITOR, next_url=target)
    assert response.headers["Location"] == "/admin/parcels"


def test_login_required_page_sends_anonymous_to_login_with_next(client):
    response = client.get("/admin/parcels?q=T")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=/admin/parcels?q%3DT"


def test_logout_ends_session(staff_app):
    client = staff_app.test_client()
    login(client, EDITOR)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/admin/parcels")})
    assert client.get("/admin/parcels").status_code == 302


def test_logout_by_get_is_not_allowed(staff_app):
    assert client_as(staff_app, "editor").get("/auth/logout").status_code == 405


def test_password_reset_ends_existing_sessions(staff_app, staff_store):
    client = client_as(staff_app, "editor")
    staff_store.staff.update_user(staff_store.staff.get_user(EDITOR).id, password_hash="new")
    assert client.get("/admin/parcels").status_code == 302


def test_disabling_account_ends_existing_sessions(staff_app, staff_store):
    client = client_as(staff_app, "editor")
    staff_store.staff.update_user(staff_store.staff.get_user(EDITOR).id, active=False)
    assert client.get("/admin/parcels").status_code == 302


def test_staff_pages_are_not_cached(staff_app):
    response = client_as(staff_app, "viewer").get("/admin/parcels")
    assert response.headers["Cache-Control"] == "no-store"


def fail(client, name=EDITOR):
    return login(client, name, "wrong password")


def test_login_throttle_refuses_sixth_try_with_429(staff_app):
    client = staff_app.test_client()
    statuses = [fail(client).status_code for _ in range(5)]
    response = login(client, EDITOR)  # even the right password
    assert statuses == [200] * 5 and response.status_code == 429


def test_login_throttle_answer_says_when_to_try_again(staff_app):
    client = staff_app.test_client()
    for _ in range(5):
        fail(client)
    response = client.post("/auth/login?lang=en", data={"csrf_token": csrf_token(client),
                                                        "name": EDITOR, "password": "x"})
    assert 0 < int(response.headers["Retry-After"]) <= 900
    assert "Try again in 15 minutes" in response.get_data(as_text=True)


def test_login_throttle_counts_per_account(staff_app):
    client = staff_app.test_client()
    for _ in range(5):
        fail(client)
    assert login(client, ROLE_USERS["viewer"]).status_code == 302


def test_login_throttle_counts_per_address(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson", LOGIN_MAX_FAILURES_PER_ADDRESS=3)
    add_staff(app)
    client = app.test_client()
    for name in ("a1", "a2", "a3"):
        fail(client, name)
    assert login(client, EDITOR).status_code == 429


def test_login_success_clears_account_failures(staff_app):
    client = staff_app.test_client()
    for _ in range(4):
        fail(client)
    login(client, EDITOR)
    assert [fail(staff_app.test_client()).status_code for _ in range(4)] == [200] * 4


def test_login_page_answer_has_security_headers(client):
    headers = client.get("/auth/login").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_login_page_has_no_external_urls(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', html)


def fail_from(app, address: str):
    """A failed login through a proxy that says the client is at `address`."""
    client = app.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = address
    return fail(client, "nobody")


def test_login_throttle_behind_a_trusted_proxy_counts_each_client_address(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson", LOGIN_MAX_FAILURES_PER_ADDRESS=3,
                   TRUSTED_PROXIES=1)
    add_staff(app)
    for _ in range(3):
        fail_from(app, "203.0.113.7")
    assert fail_from(app, "203.0.113.7").status_code == 429
    assert fail_from(app, "198.51.100.2").status_code == 200  # another client, same proxy


def test_login_throttle_ignores_forwarded_addresses_without_a_trusted_proxy(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson", LOGIN_MAX_FAILURES_PER_ADDRESS=3)
    add_staff(app)
    for address in ("203.0.113.7", "203.0.113.8", "203.0.113.9"):  # a client making them up
        fail_from(app, address)
    assert fail_from(app, "198.51.100.2").status_code == 429
