"""`landgis serve --workers 2` runs two gunicorn processes that share the load (loopback only)."""

import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import DATA

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 200
START_TIMEOUT_S = 60
REQUEST_TIMEOUT_S = 30
LANDGIS = shutil.which("landgis", path=str(Path(sys.executable).parent))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_workers(process: subprocess.Popen, count: int) -> list[str]:
    """Lines of gunicorn's log until `count` workers have booted (or the deadline passes)."""
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stderr],
                     daemon=True).start()
    seen, booted = [], 0
    while booted < count:
        try:
            line = lines.get(timeout=START_TIMEOUT_S)
        except queue.Empty:
            pytest.fail("workers did not boot:\n" + "".join(seen))
        seen.append(line)
        booted += "Booting worker" in line
    return seen


def wait_until_workers_answer(base: str, count: int) -> None:
    """Concurrent GETs of /readyz until `count` distinct workers have answered: gunicorn logs
    "Booting worker" before the worker has imported the app, and a gthread worker that is ready
    first may take every connection meanwhile."""
    deadline = time.monotonic() + START_TIMEOUT_S
    answered: set[str] = set()
    with ThreadPoolExecutor(max_workers=8) as pool:
        while len(answered) < count:
            if time.monotonic() > deadline:
                pytest.fail(f"only {len(answered)} of {count} workers answered")
            answered |= {pid for _, pid in pool.map(get, [base + "/readyz"] * 16, timeout=120)}
            time.sleep(0.1)


@pytest.fixture
def served(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANDGIS_")}
    env |= {"LANDGIS_INSTANCE_PATH": str(tmp_path / "instance"),
            "LANDGIS_SECRET_KEY": "serve-test-secret", "LANDGIS_BASEMAP_URL": "",
            "LANDGIS_SAMPLE_PATH": str(DATA / "small.geojson"), "LANDGIS_WORKER_HEADER": "1"}
    command = [LANDGIS or sys.executable, "serve", "--workers", "2", "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    try:
        wait_for_workers(process, 2)
        wait_until_workers_answer(f"http://127.0.0.1:{port}", 2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT_S) as response:
        response.read()
        return response.status, response.headers["X-Landgis-Worker"]


@pytest.mark.slow
@pytest.mark.skipif(LANDGIS is None, reason="the landgis console script is not installed")
def test_serve_with_two_workers_answers_concurrent_requests_from_both(served):
    url = f"{served}/api/collections/parcels/items?limit=4"
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(get, [url] * REQUESTS, timeout=120))
    assert {status for status, _ in answers} == {200}
    assert len({pid for _, pid in answers}) == 2
