"""Security headers on every staff response, errors included."""

import pytest

from tests.editing_fixtures import client_as, csrf_token


def respond(app, role, method, path, **kwargs):
    client = client_as(app, role)
    headers = kwargs.setdefault("headers", {})
    if method != "GET" and "X-CSRFToken" not in headers:
        headers["X-CSRFToken"] = csrf_token(client, "/" if role else "/auth/login")
    return client.open(path, method=method, **kwargs)


@pytest.mark.parametrize(("role", "method", "path", "kwargs", "status"), [
    ("editor", "GET", "/admin/parcels/1/edit", {}, 200),
    (None, "GET", "/admin/parcels", {}, 302),
    ("viewer", "GET", "/admin/users", {}, 403),
    ("editor", "PATCH", "/api/collections/parcels/items/1", {"json": {"note": "x"}}, 428),
    ("editor", "PATCH", "/api/collections/parcels/items/1",
     {"json": {"note": "x"}, "headers": {"If-Match": '"1-9"'}}, 412),
    (None, "PATCH", "/api/collections/parcels/items/1", {"json": {"note": "x"}}, 401),
    (None, "POST", "/auth/logout", {"headers": {"X-CSRFToken": "forged"}}, 400),
])
def test_staff_response_has_security_headers(staff_app, role, method, path, kwargs, status):
    response = respond(staff_app, role, method, path, **kwargs)
    assert response.status_code == status
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
