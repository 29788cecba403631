"""`landgis check`: one OK/WARN/FAIL line per check with its reason, exit status 1 on a FAIL."""

import http.server
import socket
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import DATA, make_app
from tests.store.postgis_fixtures import postgis_schema_url
from webapp.check_command import (
    check_basemap,
    check_disk,
    check_https,
    check_secret_key,
    run_checks,
)
from webapp.cli import main
from webapp.config import DEFAULT_SECRET_KEY, load_settings
from webapp.store.geopackage.write_probe import PROBE_TABLE, probe_geopackage_write
from webapp.store.schema_version import CURRENT_SCHEMA_VERSION

STRONG_KEY = "3f9c1a7e5b2d8c4f6a0e9b1d7c3f5a8e2b6d4c0f9a1e7b3d5c8f2a6e0b4d9c1f"


@pytest.fixture
def instance(tmp_path, monkeypatch) -> Path:
    """An instance folder holding the four-parcel store; its settings in LANDGIS_* variables."""
    app = make_app(tmp_path, DATA / "small.geojson")
    app.extensions["landgis.store"].close()
    for name, value in {"INSTANCE_PATH": app.instance_path, "SECRET_KEY": STRONG_KEY,
                        "BASEMAP_URL": "", "SAMPLE_PATH": str(DATA / "small.geojson")}.items():
        monkeypatch.setenv(f"LANDGIS_{name}", value)
    return Path(app.instance_path)


def check_lines(*args) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.output.splitlines()


def level_of(lines: list[str], subject: str) -> str:
    (line,) = [line for line in lines if line.split(None, 1)[1].startswith(subject + ":")]
    return line.split()[0]


def test_check_healthy_installation_is_all_ok(instance):
    status, lines = check_lines()
    assert status == 0, lines
    assert {line.split()[0] for line in lines} == {"OK"}
    subjects = [line.split(None, 1)[1].split(":")[0] for line in lines]
    assert subjects == ["secret key", "settings", "https/proxy", "store", "store writable",
                        "schema", "disk (store)", "disk (backups)", "basemap"]


def test_check_default_secret_key_fails_with_exit_status(instance, monkeypatch):
    monkeypatch.setenv("LANDGIS_SECRET_KEY", DEFAULT_SECRET_KEY)
    status, lines = check_lines()
    assert status == 1 and level_of(lines, "secret key") == "FAIL"
    assert level_of(lines, "store") == "OK"  # the other checks still run


@pytest.mark.parametrize(("key", "level", "words"), [
    (DEFAULT_SECRET_KEY, "FAIL", "default"), ("short-key-12345", "FAIL", "15 characters"),
    ("ab" * 20, "FAIL", "repetitive"), (STRONG_KEY, "OK", "64 characters")])
def test_check_secret_key(key, level, words):
    finding = check_secret_key(key)
    assert finding.level == level and words in finding.reason
    assert key not in finding.line()  # never printed


def test_check_missing_store_fails(instance):
    (instance / "landgis.gpkg").unlink()
    status, lines = check_lines()
    assert status == 1 and level_of(lines, "store") == "FAIL"
    assert "landgis init" in "\n".join(lines)


def test_check_newer_schema_fails(instance):
    with sqlite3.connect(instance / "landgis.gpkg") as db:
        db.execute("UPDATE landgis_meta SET value = ? WHERE key = 'schema_version'",
                   (str(CURRENT_SCHEMA_VERSION + 1),))
    status, lines = check_lines()
    assert status == 1 and level_of(lines, "schema") == "FAIL"
    assert "newer than this release" in "\n".join(lines)


def test_check_network_store_fails(instance, monkeypatch, tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\nnas:/gis {instance} nfs4 rw 0 0\n")
    monkeypatch.setattr("webapp.store.geopackage.mounts.MOUNTS", mounts)
    status, lines = check_lines()
    assert status == 1 and level_of(lines, "store") == "FAIL"
    assert "network file system (nfs4)" in "\n".join(lines)


def test_check_write_probe_leaves_nothing(instance):
    store = instance / "landgis.gpkg"
    probe_geopackage_write(store)
    with sqlite3.connect(store) as db:
        assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                              (PROBE_TABLE,)).fetchall()


def test_check_write_probe_fails_while_another_process_writes(instance):
    holder = sqlite3.connect(instance / "landgis.gpkg", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            probe_geopackage_write(instance / "landgis.gpkg", timeout_s=0.1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


SAFE = {"TRUSTED_PROXIES": 0, "TRUSTED_PROXY_HOST": False, "HTTPS": False, "HOST": "127.0.0.1"}


@pytest.mark.parametrize(("settings", "level", "words"), [
    ({}, "OK", "HTTPS off"),
    ({"TRUSTED_PROXIES": 1, "HTTPS": True}, "OK", "1 trusted proxy"),
    ({"TRUSTED_PROXY_HOST": True}, "FAIL", "without TRUSTED_PROXIES"),
    ({"TRUSTED_PROXIES": 1}, "WARN", "HTTPS is off"),
    ({"TRUSTED_PROXIES": 1, "HTTPS": True, "HOST": "0.0.0.0"}, "WARN", "forge"),
    ({"HTTPS": True}, "WARN", "TRUSTED_PROXIES=1"),
    ({"HOST": "0.0.0.0"}, "WARN", "unencrypted")])
def test_check_https_and_proxy_settings(settings, level, words):
    findings = list(check_https({**SAFE, **settings}))
    worst = max(findings, key=lambda f: ("OK", "WARN", "FAIL").index(f.level))
    assert worst.level == level and words in " ".join(f.reason for f in findings)


@contextmanager
def tile_server(status: int):
    """A loopback HTTP server answering every GET with `status`; its URL template."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(("status", "level"), [(200, "OK"), (404, "WARN")])
def test_check_basemap_answer(status, level):
    with tile_server(status) as template:
        finding = check_basemap(template)
    assert finding.level == level and f"HTTP {status}" in finding.reason
    assert "/0/0/0.png" in finding.reason


def test_check_basemap_unreachable_is_a_warning_only():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens once the socket is closed
    finding = check_basemap(f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png?tk=SECRET",
                            timeout_s=1)
    assert finding.level == "WARN" and "not reachable" in finding.reason
    assert "SECRET" not in finding.reason


def test_check_basemap_skipped_when_empty():
    assert check_basemap("").level == "OK"


@pytest.mark.parametrize(("needed", "level"), [(0, "OK"), (1 << 62, "FAIL")])
def test_check_disk_free_space(tmp_path, needed, level):
    assert check_disk("disk (store)", tmp_path / "not-yet" / "backups", needed).level == level


def test_check_postgis_store(tmp_path):
    with postgis_schema_url() as url:
        app = make_app(tmp_path, DATA / "small.geojson", STORE_URL=url)
        app.extensions["landgis.store"].close()
        settings = load_settings(Path(app.instance_path), {
            "STORE_URL": url, "SECRET_KEY": STRONG_KEY, "BASEMAP_URL": ""})
        findings = {f.subject: f for f in run_checks(settings, Path(app.instance_path))}
    assert {f.level for f in findings.values()} == {"OK"}, findings
    assert "disk (store)" not in findings  # on the database server
    assert "landgis_test:landgis_test" not in str(findings)


def test_check_postgis_unreachable_fails_without_password(tmp_path):
    url = "postgresql://someone:hunter2@127.0.0.1:1/nowhere?schema=x"
    findings = run_checks(load_settings(tmp_path, {"STORE_URL": url, "BASEMAP_URL": "",
                                                   "SECRET_KEY": STRONG_KEY}), tmp_path)
    (store,) = [f for f in findings if f.subject == "store"]
    assert store.level == "FAIL" and "hunter2" not in store.reason
