"""`landgis serve` with ACCESS_LOG: one line per request, in one process (waitress) and in each
gunicorn worker, never with passwords, cookies, CSRF tokens or the query strings of login."""

import logging

import pytest

from tests.conftest import DATA, make_app
from tests.editing_fixtures import PASSWORD, ROLE_USERS, add_staff, client_as, csrf_token
from tests.hostile import HOSTILE
from webapp import serving

ACCESS = logging.getLogger("landgis.access")


@pytest.fixture
def access_lines(caplog):
    """The access log lines written during the test."""
    ACCESS.addHandler(caplog.handler)
    try:
        yield lambda: [r.getMessage() for r in caplog.records if r.name == "landgis.access"]
    finally:
        ACCESS.removeHandler(caplog.handler)


def served_app(tmp_path, monkeypatch, workers: int = 1, **settings):
    """The app `landgis serve` would run in one process (waitress) or in a gunicorn worker,
    captured instead of listening on a port."""
    app = make_app(tmp_path, DATA / "small.geojson", WORKERS=workers, **settings)
    add_staff(app)
    captured = {}
    monkeypatch.setattr("waitress.serve", lambda wsgi_app, **kw: captured.update(app=wsgi_app))
    monkeypatch.setattr(serving, "settle_heap", lambda served: served)
    monkeypatch.setattr(serving, "can_fork_workers", lambda: True)
    monkeypatch.setattr(serving, "serve_with_gunicorn", lambda make, options: captured.update(
        app=make(), options=options))
    rebuilt = lambda: make_app(tmp_path / "worker", DATA / "small.geojson", **settings)  # noqa: E731
    serving.serve(app, rebuilt, "127.0.0.1", 5000)
    return captured


def test_access_log_one_process_logs_each_request(tmp_path, monkeypatch, access_lines):
    app = served_app(tmp_path, monkeypatch, ACCESS_LOG=True)["app"]
    app.test_client().get("/parcels/T-001?lang=en", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    (line,) = access_lines()
    assert line.startswith('203.0.113.9 "GET /parcels/T-001?lang=en" 200 ')
    assert line.endswith("ms")


def test_access_log_gunicorn_worker_logs_each_request(tmp_path, monkeypatch, access_lines):
    captured = served_app(tmp_path, monkeypatch, workers=2, ACCESS_LOG=True)
    assert captured["options"]["accesslog"] is None  # the app logs, not gunicorn (no doubles)
    captured["app"].test_client().get("/api/collections/parcels/items?limit=1")
    assert [line.split('"')[1] for line in access_lines()] == [
        "GET /api/collections/parcels/items?limit=1"]


@pytest.mark.parametrize("workers", [1, 2])
def test_access_log_off_by_default(tmp_path, monkeypatch, access_lines, workers):
    served_app(tmp_path, monkeypatch, workers=workers)["app"].test_client().get("/")
    assert access_lines() == []


def test_access_log_never_holds_login_secrets(tmp_path, monkeypatch, access_lines):
    app = served_app(tmp_path, monkeypatch, ACCESS_LOG=True)["app"]
    client = app.test_client()
    token = csrf_token(client, "/auth/login?next=/admin/parcels%3Fq%3Dsecret")
    client.post("/auth/login?next=/admin/parcels", data={
        "csrf_token": token, "name": ROLE_USERS["editor"], "password": PASSWORD})
    client.get("/admin/parcels")
    text = "\n".join(access_lines())
    assert '"GET /auth/login" 200' in text and '"POST /auth/login" 302' in text
    for secret in (PASSWORD, "correct", token, "next=", "secret", "session=", "eddie"):
        assert secret not in text


def test_access_log_leaves_out_query_strings_of_writes(tmp_path, monkeypatch, access_lines):
    app = served_app(tmp_path, monkeypatch, ACCESS_LOG=True)["app"]
    client = client_as(app, "editor")
    client.patch("/api/collections/parcels/items/1?token=abc", json={"note": "x"})
    assert access_lines()[-1].split('"')[1] == "PATCH /api/collections/parcels/items/1"


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_access_log_line_cannot_be_forged(tmp_path, monkeypatch, access_lines, text):
    app = served_app(tmp_path, monkeypatch, ACCESS_LOG=True)["app"]
    forged = '\n127.0.0.1 "GET /x" 200 '
    app.test_client().get("/", environ_overrides={
        "PATH_INFO": ("/parcels/" + text + forged).encode().decode("latin-1"),
        "QUERY_STRING": ("q=" + text + "\r\n" + forged).encode().decode("latin-1")})
    (line,) = access_lines()
    assert line.count('"') == 2 and "\n" not in line and "\r" not in line and " " not in (
        line.split('"')[1].split(" ", 1)[1])
    assert all(ord(c) >= 0x20 and c not in "\u2028\u2029\u202e" for c in line)
