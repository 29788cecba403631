"""/metrics: Prometheus text for the addresses of METRICS_ALLOW only (others 404, judged on the
client address after ProxyFix); requests by endpoint name and status class, tile cache hits,
web imports, failed logins and server-side errors."""

import subprocess
import sys

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import DATA, make_app
from tests.editing_fixtures import PASSWORD, ROLE_USERS, add_staff, csrf_token
from tests.hostile import HOSTILE
from tests.importing.test_web_import import token_of, upload
from tests.live.servers import ROOT
from webapp.domain.errors import StoreUnavailableError

LOOPBACK = {"REMOTE_ADDR": "127.0.0.1"}
TILE = "/api/collections/parcels/tiles/WebMercatorQuad/0/0/0"


def samples(client) -> dict[tuple[str, tuple], float]:
    """(sample name, sorted labels) → value of a /metrics scrape from loopback."""
    response = client.get("/metrics", environ_base=LOOPBACK)
    assert response.status_code == 200, response.status_code
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for s in family.samples}


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def requests_of(found: dict, endpoint: str, status: str) -> float:
    return value(found, "landgis_http_request_duration_seconds_count", endpoint=endpoint,
                 status=status)


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson")
    add_staff(app)
    return app


def test_metrics_are_prometheus_text_for_loopback(app):
    response = app.test_client().get("/metrics", environ_base=LOOPBACK)
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=")
    assert response.headers["Cache-Control"] == "no-store"
    assert list(text_string_to_metric_families(response.get_data(as_text=True)))


@pytest.mark.parametrize(("allow", "address", "status"), [
    ("127.0.0.1,::1", "203.0.113.9", 404), ("127.0.0.1,::1", "::1", 200),
    ("127.0.0.1,::1", "::ffff:127.0.0.1", 200), ("127.0.0.1,::1", "2001:db8::1", 404),
    ("10.0.0.0/8", "10.20.30.40", 200), ("10.0.0.0/8", "127.0.0.1", 404),
    ("10.0.0.0/8", "11.0.0.1", 404)])
def test_metrics_only_for_allowed_addresses(tmp_path, allow, address, status):
    app = make_app(tmp_path, DATA / "small.geojson", METRICS_ALLOW=allow)
    response = app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": address})
    assert response.status_code == status
    assert (b"landgis_" in response.data) == (status == 200)


def test_metrics_refused_for_the_real_client_behind_a_trusted_proxy(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson", TRUSTED_PROXIES=1)
    client = app.test_client()
    proxied = client.get("/metrics", environ_base=LOOPBACK,
                         headers={"X-Forwarded-For": "203.0.113.9"})
    local = client.get("/metrics", environ_base=LOOPBACK,
                       headers={"X-Forwarded-For": "127.0.0.1"})
    assert (proxied.status_code, local.status_code) == (404, 200)


def test_metrics_forged_forwarded_for_is_ignored_without_proxies(app):
    response = app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"},
                                     headers={"X-Forwarded-For": "127.0.0.1"})
    assert response.status_code == 404


def test_metrics_off_when_allow_list_is_empty(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson", METRICS_ALLOW="")
    assert app.test_client().get("/metrics", environ_base=LOOPBACK).status_code == 404
    assert "landgis.metrics" not in app.extensions


def test_metrics_count_requests_by_endpoint_not_path(app):
    client = app.test_client()
    for code in ("T-001", "T-002", "T-003"):
        client.get(f"/parcels/{code}")
    found = samples(client)
    assert requests_of(found, "public.parcel", "2xx") == 3
    assert not [key for key in found if "T-00" in str(key)]


@pytest.mark.parametrize("name", ["script_close", "jinja_expression", "sql_fragment"])
def test_metrics_unknown_paths_share_one_label(app, name):
    client = app.test_client()
    client.get("/no-such-page/" + HOSTILE[name])
    found = samples(client)
    assert requests_of(found, "unmatched", "4xx") == 1
    assert HOSTILE[name] not in str(list(found))


def test_metrics_count_tile_cache_hits_and_misses(app):
    client = app.test_client()
    for _ in range(3):
        assert client.get(TILE).status_code == 200
    found = samples(client)
    assert value(found, "landgis_tile_cache_requests_total", result="miss") == 1
    assert value(found, "landgis_tile_cache_requests_total", result="hit") == 2
    assert requests_of(found, "api.tile", "2xx") == 3


def login(client, password: str) -> int:
    token = csrf_token(client, "/auth/login")
    return client.post("/auth/login", data={"csrf_token": token, "name": ROLE_USERS["editor"],
                                            "password": password}).status_code


def test_metrics_count_failed_and_throttled_logins(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson", LOGIN_MAX_FAILURES=2)
    add_staff(app)
    statuses = [login(app.test_client(), "wrong") for _ in range(3)]
    found = samples(app.test_client())
    assert statuses == [200, 200, 429]
    assert value(found, "landgis_login_failures_total", reason="wrong") == 2
    assert value(found, "landgis_login_failures_total", reason="throttled") == 1


def test_metrics_do_not_count_a_good_login(app):
    assert login(app.test_client(), PASSWORD) == 302
    assert value(samples(app.test_client()), "landgis_login_failures_total", reason="wrong") == 0


def test_metrics_count_store_unavailable(app, monkeypatch):
    def unreachable(*args, **kwargs):
        raise StoreUnavailableError

    monkeypatch.setattr(app.extensions["landgis.store"], "get", unreachable)
    client = app.test_client()
    assert client.get("/api/collections/parcels/items/1").status_code == 503
    found = samples(client)
    assert value(found, "landgis_errors_total", kind="store_unavailable") == 1
    assert requests_of(found, "api.item", "5xx") == 1


def test_metrics_count_server_errors(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson")

    def boom():
        raise RuntimeError("unexpected")

    app.add_url_rule("/boom", view_func=boom)
    client = app.test_client()
    assert client.get("/boom").status_code == 500
    assert value(samples(client), "landgis_errors_total", kind="server_error") == 1


def test_metrics_record_a_web_import(app, messy_geojson):
    from tests.editing_fixtures import client_as

    editor = client_as(app, "editor")
    url = upload(editor, messy_geojson).headers["Location"]
    response = editor.post(f"/imports/{token_of(url)}/confirm", data={
        "csrf_token": csrf_token(editor, "/imports/"), "mode": "upsert"})
    assert response.status_code == 302
    found = samples(app.test_client())
    assert value(found, "landgis_import_duration_seconds_count", mode="upsert") == 1
    assert value(found, "landgis_import_rows_total", mode="upsert") == 1  # T-BOW is new


def test_metrics_library_not_imported_by_create_app(tmp_path):
    """prometheus_client picks multiprocess mode at import: building an app (as gunicorn's
    master does) must leave it unimported until a worker records a request."""
    settings = {"TESTING": True, "AUTO_INIT": False, "INSTANCE_PATH": str(tmp_path)}
    code = ("import sys; from webapp import create_app; "
            f"app = create_app({settings!r}); print('prometheus_client' in sys.modules); "
            "app.test_client().get('/healthz'); print('prometheus_client' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=True)
    assert result.stdout.split() == ["False", "True"], result.stderr[-2000:]


@pytest.mark.parametrize("allow", ["localhost", "127.0.0.1,300.1.1.1", "10.0.0.0/33"])
def test_metrics_allow_list_must_be_addresses(tmp_path, allow):
    from webapp.domain.errors import ConfigError

    with pytest.raises(ConfigError, match="METRICS_ALLOW"):
        make_app(tmp_path, DATA / "small.geojson", METRICS_ALLOW=allow)
