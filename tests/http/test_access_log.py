"""`landgis serve` with ACCESS_LOG: one line per request, in one process (waitress) and in each
gunicorn worker, never with passwords, cookies, CSRF tokens or the query strings of login."""

import json
import logging
import re

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


def request_of(line: str) -> str:
    """Method and path of a combined-format line (its quoted request without the protocol)."""
    return line.split('"')[1].rsplit(" ", 1)[0]


def test_access_log_one_process_logs_each_request(tmp_path, monkeypatch, access_lines):
    app = served_app(tmp_path, monkeypatch, ACCESS_LOG=True)["app"]
    app.test_client().get("/parcels/T-001?lang=en", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    (line,) = access_lines()
    assert re.fullmatch(r'203\.0\.113\.9 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] '
                        r'"GET /parcels/T-001\?lang=en HTTP/1\.1" 200 \d+ "-" "-"', line), line


def test_access_log_gunicorn_worker_logs_each_request(tmp_path, monkeypatch, access_lines):
    captured = served_app(tmp_path, monkeypatch, workers=2, ACCESS_LOG=True)
    assert captured["options"]["accesslog"] is None  # the app logs, not gunicorn (no doubles)
    captured["app"].test_client().get("/api/collections/parcels/items?limit=1")
    assert [request_of(line) for line in access_lines()] == [
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
    assert '"GET /auth/login HTTP/1.1" 200' in text and '"POST /auth/login HTTP/1.1" 302' in text
    for secret in (PASSWORD, "correct", token, "next=", "secret", "session=", "eddie"):
        assert secret not in text


def test_access_log_leaves_out_query_strings_of_writes(tmp_path, monkeypatch, access_lines):
    app = served_app(tmp_path, monkeypatch, ACCESS_LOG=True)["app"]
    client = client_as(app, "editor")
    client.patch("/api/collections/parcels/items/1?token=abc", json={"note": "x"})
    assert request_of(access_lines()[-1]) == "PATCH /api/collections/parcels/items/1"


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_access_log_line_cannot_be_forged(tmp_path, monkeypatch, access_lines, text):
    app = served_app(tmp_path, monkeypatch, ACCESS_LOG=True)["app"]
    forged = '\n127.0.0.1 "GET /x" 200 '
    app.test_client().get("/", environ_overrides={
        "PATH_INFO": ("/parcels/" + text + forged).encode().decode("latin-1"),
        "QUERY_STRING": ("q=" + text + "\r\n" + forged).encode().decode("latin-1")})
    (line,) = access_lines()
    assert line.count('"') == 6 and "\n" not in line and "\r" not in line and " " not in (
        request_of(line).split(" ", 1)[1])
    assert all(ord(c) >= 0x20 and c not in "\u2028\u2029\u202e" for c in line)


def test_access_log_json_is_one_object_per_line(tmp_path, monkeypatch, access_lines):
    app = served_app(tmp_path, monkeypatch, ACCESS_LOG=True, ACCESS_LOG_FORMAT="json")["app"]
    app.test_client().get("/parcels/T-001?lang=en", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    (line,) = access_lines()
    entry = json.loads(line)
    assert {k: entry[k] for k in ("remote_addr", "method", "path", "protocol", "status")} == {
        "remote_addr": "203.0.113.9", "method": "GET", "path": "/parcels/T-001?lang=en",
        "protocol": "HTTP/1.1", "status": 200}
    assert entry["bytes"] > 0 and entry["duration_ms"] >= 0 and entry["time"].endswith("+00:00")


def test_access_log_json_keeps_login_secrets_out(tmp_path, monkeypatch, access_lines):
    app = served_app(tmp_path, monkeypatch, ACCESS_LOG=True, ACCESS_LOG_FORMAT="json")["app"]
    client = app.test_client()
    token = csrf_token(client, "/auth/login?next=/admin/parcels%3Fq%3Dsecret")
    client.post("/auth/login?next=/admin/parcels", data={
        "csrf_token": token, "name": ROLE_USERS["editor"], "password": PASSWORD})
    entries = [json.loads(line) for line in access_lines()]
    assert [(e["method"], e["path"]) for e in entries] == [("GET", "/auth/login"),
                                                         ("POST", "/auth/login")]
    assert not [s for s in (PASSWORD, token, "secret", "session=") if s in str(entries)]


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_access_log_json_line_cannot_be_forged(tmp_path, monkeypatch, access_lines, text):
    app = served_app(tmp_path, monkeypatch, ACCESS_LOG=True, ACCESS_LOG_FORMAT="json")["app"]
    app.test_client().get("/", environ_overrides={
        "PATH_INFO": ("/parcels/" + text + '\n{"x": 1}').encode().decode("latin-1")})
    (line,) = access_lines()
    assert "\n" not in line and line.isascii() and json.loads(line)["status"] == 404


@pytest.mark.parametrize("value", ["apache", "JSON", ""])
def test_access_log_unknown_format_is_refused(tmp_path, value):
    from webapp.domain.errors import ConfigError

    with pytest.raises(ConfigError, match="ACCESS_LOG_FORMAT"):
        make_app(tmp_path, DATA / "small.geojson", ACCESS_LOG_FORMAT=value)
