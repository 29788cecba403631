"""scripts/bench_select.py on a small district: every figure of issue 16's benchmark is measured
on both stores and reported with its target (a smoke run: that the benchmark works end to end,
not how fast anything is)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.store.postgis_fixtures import postgis_url

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
TIMEOUT_S = 300

pytestmark = pytest.mark.slow


def test_bench_select_reports_selection_and_tiles_on_both_stores(tmp_path):
    report = tmp_path / "figures.json"
    run = subprocess.run([sys.executable, str(SCRIPTS / "bench_select.py"), "--parcels", "2000",
                          "--requirements", "4", "--tiles", "2", "--rounds", "1",
                          "--postgis", postgis_url(), "--json", str(report)],
                         capture_output=True, text=True, timeout=TIMEOUT_S, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    figures = json.loads(report.read_text(encoding="utf-8"))
    assert figures["parcels"] == 2000 and figures["context_features"] > 0
    assert set(figures["stores"]) == {"gpkg", "postgis"}
    for store in figures["stores"].values():
        assert store["selection"]["select"]["n"] == 4
        assert store["selection"]["answers"]["candidates_median"] > 0
        assert store["tiles"]["parcel"]["n"] == store["tiles"]["context"]["n"] >= 1
        assert store["tiles"]["ratio_p95"] > 0
        assert store["http"]["errors"] == 0 and store["http"]["n"] == 4
    answers = [s["selection"]["answers_per_requirement"] for s in figures["stores"].values()]
    assert answers[0] == answers[1]  # both stores select the same parcels
    assert "differ for 0 of 4 requirements" in run.stdout
    assert run.stdout.count("PASS") + run.stdout.count("FAIL") == 4
    assert "postgis: selection" in run.stderr  # progress lines
