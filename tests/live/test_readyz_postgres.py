"""/readyz against a PostgreSQL that stops and starts again: 503 within 2 s while it is down,
200 again once it is back. The test runs its own throwaway cluster (initdb on a free port), so
stopping it disturbs no other test."""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest

from tests.conftest import DATA, make_app
from tests.live.servers import SECRET_KEY, live_server

pytestmark = pytest.mark.slow

BIN = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)), "")
READY_LIMIT_S = 2.0
BACK_WITHIN_S = 30.0


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the /readyz PostgreSQL test)")
    pytest.skip(reason)


class Cluster:
    """A PostgreSQL cluster of its own in a temporary folder (trust authentication, loopback
    only), run as the postgres user when the tests run as root."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="landgis-readyz-pg-"))
        self.data = self.folder / "data"
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]

    def run(self, *args: str) -> None:
        subprocess.run([*self.as_owner, *args], check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self.run(f"{BIN}/initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                 "--no-sync", "-E", "UTF8", "--locale", "C")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off")
        self.run(f"{BIN}/pg_ctl", "-D", str(self.data), "-o", options, "-l",
                 str(self.folder / "server.log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self.run(f"{BIN}/pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, schema: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres?schema={schema}"

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    if not BIN or not Path(BIN, "initdb").exists():
        _skip_or_fail("PostgreSQL's initdb is not installed")
    cluster = Cluster()
    try:
        cluster.init()
        cluster.start()
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{cluster.port}/postgres",
                             autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="module")
def server(cluster, tmp_path_factory):
    """A landgis server process on the cluster's store."""
    root = tmp_path_factory.mktemp("readyz")
    url = cluster.url("landgis")
    app = make_app(root, DATA / "small.geojson", STORE_URL=url)
    app.extensions["landgis.store"].close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANDGIS_")}
    env.update({"LANDGIS_INSTANCE_PATH": app.instance_path, "LANDGIS_STORE_URL": url,
                "LANDGIS_SECRET_KEY": SECRET_KEY, "LANDGIS_BASEMAP_URL": "",
                "LANDGIS_SAMPLE_PATH": str(DATA / "small.geojson")})
    with live_server(env, root / "server.log") as base:
        yield base


def status_of(url: str) -> tuple[int, float, str]:
    """Status, seconds taken and text of a GET."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            status, text = error.code, error.read().decode()
    return status, time.monotonic() - started, text


def wait_for_200(url: str) -> int:
    """The status of GET url once it is 200, or the last one after BACK_WITHIN_S."""
    deadline = time.monotonic() + BACK_WITHIN_S
    status = 0
    while time.monotonic() < deadline:
        status = status_of(url)[0]
        if status == 200:
            break
        time.sleep(0.5)
    return status


def test_readyz_follows_postgres_down_and_up(cluster, server):
    items = server + "/api/collections/parcels/items?limit=1"
    assert status_of(server + "/readyz")[0] == 200
    assert status_of(items)[0] == 200  # pooled connections are open when the server stops
    cluster.stop()
    try:
        answers = [status_of(server + "/readyz") for _ in range(3)]
        healthz = status_of(server + "/healthz")[0]
    finally:
        cluster.start()
    for status, seconds, text in answers:
        assert status == 503 and seconds < READY_LIMIT_S, (status, seconds, text)
        assert text.startswith("not ready:") and "Traceback" not in text
    assert healthz == 200  # the process is alive: a load balancer must not restart it
    assert wait_for_200(server + "/readyz") == 200
    # a pooled connection broken by the restart fails its one request (503), then is replaced
    assert wait_for_200(items) == 200
