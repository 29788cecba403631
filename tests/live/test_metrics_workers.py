"""/metrics under `landgis serve --workers 2`: whichever worker answers the scrape, it counts
the requests of both (prometheus_client's multiprocess mode in a folder the server makes for
this start and removes when it stops)."""

import os
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import DATA
from tests.live.servers import ROOT
from tests.live.test_serve_workers import (
    LANDGIS,
    free_port,
    wait_for_workers,
    wait_until_workers_answer,
)
from webapp.metrics.multiprocess import FOLDER_PREFIX

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(LANDGIS is None, reason="the landgis console script is missing")]

REQUESTS = 60
ROUNDS = 20


def get(url: str) -> tuple[str, str]:
    """The answering worker and the body of a GET."""
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.headers["X-Landgis-Worker"], response.read().decode()


def healthz_count(text: str) -> float:
    return sum(s.value for family in text_string_to_metric_families(text) for s in family.samples
               if s.name == "landgis_http_request_duration_seconds_count"
               and s.labels == {"endpoint": "health.healthz", "status": "2xx"})


def in_rounds(pool: ThreadPoolExecutor, url: str, size: int) -> list[tuple[str, str]]:
    """GETs of `url`, `size` at a time, until both workers have answered (at most ROUNDS)."""
    answers: list[tuple[str, str]] = []
    for _ in range(ROUNDS):
        answers += pool.map(get, [url] * size, timeout=120)
        if len({worker for worker, _ in answers}) == 2:
            break
    return answers


def test_metrics_add_up_both_workers_and_folder_is_removed(tmp_path):
    temp = tmp_path / "tmp"  # the server's own temporary folder: only its metrics folder lands
    temp.mkdir()
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LANDGIS_") and k != "PROMETHEUS_MULTIPROC_DIR"}
    env |= {"LANDGIS_INSTANCE_PATH": str(tmp_path / "instance"), "TMPDIR": str(temp),
            "LANDGIS_SECRET_KEY": "metrics-test-secret", "LANDGIS_BASEMAP_URL": "",
            "LANDGIS_SAMPLE_PATH": str(DATA / "small.geojson"), "LANDGIS_WORKER_HEADER": "1"}
    process = subprocess.Popen([LANDGIS or sys.executable, "serve", "--workers", "2", "--port",
                                str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_workers(process, 2)
        wait_until_workers_answer(base, 2)
        during = list(temp.glob(FOLDER_PREFIX + "*"))
        with ThreadPoolExecutor(max_workers=8) as pool:
            healthz = in_rounds(pool, base + "/healthz", REQUESTS)
            scrapes = in_rounds(pool, base + "/metrics", 12)
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()
    assert len({w for w, _ in healthz}) == 2 and len({w for w, _ in scrapes}) == 2
    assert {healthz_count(text) for _, text in scrapes} == {len(healthz)}
    assert len(during) == 1 and not during[0].exists()  # made, then removed
