"""scripts/bench_scale.py at its smallest size: every figure of issue 8 is measured and reported.

A smoke run (10^3 parcels, 3 tiles per zoom, one browser load): it checks that the benchmark
works end to end on both backends and writes its JSON and table, not how fast anything is.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.store.postgis_fixtures import postgis_url

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

TIMEOUT_S = 300

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_bench_scale_reports_every_figure_against_its_baseline(tmp_path):
    report = tmp_path / "figures.json"
    # A process of its own, as people run it (and Playwright's sync API needs a thread without
    # the event loop the browser tests leave running).
    run = subprocess.run([sys.executable, str(SCRIPTS / "bench_scale.py"), "--min", "1000",
                          "--max", "1000", "--tiles", "3", "--browser-at", "1000",
                          "--browser-runs", "1", "--postgis-url", postgis_url(),
                          "--json", str(report)],
                         capture_output=True, text=True, timeout=TIMEOUT_S, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    figures = json.loads(report.read_text(encoding="utf-8"))
    assert set(figures["targets"]) >= {"gpkg_tile_p95_vs_raw", "postgis_tile_p95_vs_raw",
                                       "visible_speedup", "import_1e6_s"}
    (result,) = figures["results"]
    assert result["parcels"] == 1000
    for z in ("12", "14", "16"):
        # about --tiles timings a round, a small district's few tiles timed again
        assert 3 <= result["tiles_gpkg"][z]["cold"]["n"] < 6
        assert 3 <= result["postgis"]["tiles"][z]["raw_st_asmvt"]["n"] < 6
        pg_tiles = result["postgis"]["tiles"][z]
        assert set(pg_tiles) == {"raw_st_asmvt", "backend", "backend_p95_vs_raw"}
        assert pg_tiles["backend_p95_vs_raw"] > 0  # paired within each round
        assert result["tiles_gpkg"][z]["cold_p95_vs_raw"] > 0
    assert result["import_gpkg"]["peak_rss_mb"] > 0
    assert result["postgis"]["import"]["seconds"] > 0
    assert result["load_test"]["errors"] == 0
    assert result["server_rss_mb"] > 0
    page = result["page"]
    assert "error" not in page, page.get("error")
    assert page["landgis"]["visible_ms"] > 0 and page["naive_folium"]["visible_ms"] > 0
    assert "gpkg/raw" in run.stdout and "pg/raw" in run.stdout and "× sooner" in run.stdout
    assert "1,000: landgis serve" in run.stderr  # progress lines
