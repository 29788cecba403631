"""/healthz and /readyz: short plain answers for load balancers, never cached, no cookie, no
rate limit, 503 with a reason (in time) when the store cannot serve this release."""

import threading
import time

import pytest

from tests.conftest import DATA, make_app
from webapp.health import PROBE_KEY, ReadinessProbe, schema_problem
from webapp.store.schema_version import CURRENT_SCHEMA_VERSION

PATHS = ("/healthz", "/readyz")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The four-parcel app with the API rate limit on (1 request a minute)."""
    return make_app(tmp_path_factory.mktemp("health"), DATA / "small.geojson",
                    RATELIMIT_ENABLED=True, RATE_LIMIT_API="1/minute")


@pytest.mark.parametrize("path", PATHS)
def test_health_answers_plain_text_uncached_without_cookie(app, path):
    response = app.test_client().get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert response.get_data(as_text=True) == ("ok\n" if path == "/healthz" else "ready\n")


@pytest.mark.parametrize("path", PATHS)
def test_health_is_never_rate_limited(app, path):
    client = app.test_client()
    assert {client.get(path).status_code for _ in range(5)} == {200}
    assert [client.get("/api/collections").status_code for _ in range(2)][-1] == 429


@pytest.mark.parametrize("path", PATHS)
def test_health_head_answers_too(app, path):
    assert app.test_client().head(path).status_code == 200


class SlowStore:
    """A store whose schema read takes `delay_s` (a database that does not answer)."""

    def __init__(self, delay_s: float, version: int = CURRENT_SCHEMA_VERSION) -> None:
        self.delay_s, self.version, self.reads = delay_s, version, 0
        self.release = threading.Event()

    def schema_version(self) -> int:
        self.reads += 1
        self.release.wait(self.delay_s)
        return self.version


class BrokenStore:
    """A store whose schema read fails (a database that refuses connections)."""

    def schema_version(self) -> int:
        raise ConnectionRefusedError("Traceback secret-host:5432")


def readyz_with(app, store):
    """GET /readyz with the app's probe reading `store` instead."""
    saved = app.extensions[PROBE_KEY]
    app.extensions[PROBE_KEY] = probe = ReadinessProbe(store)
    try:
        return app.test_client().get("/readyz")
    finally:
        app.extensions[PROBE_KEY] = saved
        probe.close()


def test_readyz_answers_503_within_the_timeout_when_the_store_hangs(app):
    store = SlowStore(delay_s=30)
    started = time.monotonic()
    response = readyz_with(app, store)
    store.release.set()
    assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert response.headers["Retry-After"] and response.headers["Cache-Control"] == "no-store"
    assert "did not answer" in response.get_data(as_text=True)


def test_readyz_stuck_probe_is_shared_not_repeated():
    store = SlowStore(delay_s=30)
    probe = ReadinessProbe(store)
    try:
        reasons = [probe.problem(timeout_s=0.05) for _ in range(3)]
    finally:
        store.release.set()
        probe.close()
    assert all("did not answer" in reason for reason in reasons) and store.reads == 1


def test_readyz_unreachable_store_gives_reason_without_details(app):
    response = readyz_with(app, BrokenStore())
    text = response.get_data(as_text=True)
    assert response.status_code == 503 and "store unreachable (ConnectionRefusedError)" in text
    assert "Traceback" not in text and "secret-host" not in text


@pytest.mark.parametrize(("version", "words"), [
    (0, "no parcel store"), (CURRENT_SCHEMA_VERSION + 1, "newer than this release")])
def test_readyz_wrong_layout_is_not_ready(app, version, words):
    response = readyz_with(app, SlowStore(0, version))
    assert response.status_code == 503 and words in response.get_data(as_text=True)


@pytest.mark.parametrize(("version", "ready"), [
    (CURRENT_SCHEMA_VERSION, True), (CURRENT_SCHEMA_VERSION - 1, False),
    (CURRENT_SCHEMA_VERSION + 1, False)])
def test_schema_problem_only_for_other_layouts(version, ready):
    assert (schema_problem(version) is None) == ready


def test_readyz_missing_store_file_is_not_ready(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson")
    store = app.extensions["landgis.store"]
    store.close()
    store.path.unlink()
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and b"no parcel store" in response.data


def test_healthz_never_touches_the_store(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson")
    app.extensions["landgis.store"].path.unlink()
    assert app.test_client().get("/healthz").status_code == 200
