"""/metrics under `landgis serve --workers 2`: whichever worker answers the scrape, it counts
the requests of both (prometheus_client's multiprocess mode in a folder the server makes for
this start and removes when it stops)."""

import glob
import os
import subprocess
import sys
import tempfile
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import DATA
from tests.live.servers import ROOT
from tests.live.test_serve_workers import LANDGIS, free_port, wait_for_workers
from webapp.metrics.multiprocess import FOLDER_PREFIX

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(LANDGIS is None, reason="the landgis console script is missing")]

REQUESTS = 60
FOLDERS = os.path.join(tempfile.gettempdir(), FOLDER_PREFIX + "*")


def get(url: str) -> tuple[str, str]:
    """The answering worker and the body of a GET."""
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.headers["X-Landgis-Worker"], response.read().decode()


def healthz_count(text: str) -> float:
    return sum(s.value for family in text_string_to_metric_families(text) for s in family.samples
               if s.name == "landgis_http_request_duration_seconds_count"
               and s.labels == {"endpoint": "health.healthz", "status": "2xx"})


def test_metrics_add_up_both_workers_and_folder_is_removed(tmp_path):
    before = set(glob.glob(FOLDERS))
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LANDGIS_") and k != "PROMETHEUS_MULTIPROC_DIR"}
    env |= {"LANDGIS_INSTANCE_PATH": str(tmp_path / "instance"),
            "LANDGIS_SECRET_KEY": "metrics-test-secret", "LANDGIS_BASEMAP_URL": "",
            "LANDGIS_SAMPLE_PATH": str(DATA / "small.geojson"), "LANDGIS_WORKER_HEADER": "1"}
    process = subprocess.Popen([LANDGIS or sys.executable, "serve", "--workers", "2", "--port",
                                str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_workers(process, 2)
        during = set(glob.glob(FOLDERS)) - before
        with ThreadPoolExecutor(max_workers=8) as pool:
            workers = {w for w, _ in pool.map(get, [base + "/healthz"] * REQUESTS, timeout=120)}
            scrapes = list(pool.map(get, [base + "/metrics"] * 12, timeout=120))
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()
    assert len(workers) == 2 and len({w for w, _ in scrapes}) == 2  # both answered scrapes
    assert {healthz_count(text) for _, text in scrapes} == {REQUESTS}
    assert len(during) == 1 and not set(glob.glob(FOLDERS)) & during  # made, then removed
