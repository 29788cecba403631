"""Acceptance: SIGKILL at random moments never leaves a mix of old and new parcels.

Each kill lands at a random moment of the import's writing: from the report it prints just
before writing (webapp.import_command) to 1.3 times as long as writing takes, so some kills
come after the commit. (Python's start-up, most of a run, touches no store: kills there prove
nothing.) LANDGIS_KILL_RUNS sets the number of kills (default 16, about 50 s).
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLE
from webapp.domain.filters import ParcelFilter
from webapp.store import GeoPackageStore

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("LANDGIS_KILL_RUNS", "16"))
IMPORT = "from webapp.cli import main; main()"
REPORT_START = "File: "  # the report's first line: the import writes right after the report
WRITTEN = "Imported ("  # the line it prints once written

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bigger_district(tmp_path_factory):
    """A second, larger synthetic district (1,500 parcels) to swap with the sample."""
    path = tmp_path_factory.mktemp("big") / "big.geojson"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_sample.py"), "--count",
                    "1500", "--seed", "7", "--out", str(path)], check=True, capture_output=True)
    return path


def import_process(path: Path, env: dict) -> subprocess.Popen:
    """`landgis import PATH --mode replace`, started once it has printed its report."""
    process = subprocess.Popen([sys.executable, "-c", IMPORT, "import", str(path), "--mode",
                                "replace"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        if line.startswith(REPORT_START):
            return process
    process.wait()
    raise AssertionError(f"the import of {path.name} printed no report")


def write_seconds(path: Path, env: dict) -> float:
    """Run a whole import; the seconds from its report to its line saying what it wrote."""
    with import_process(path, env) as process:
        started = time.monotonic()
        written = next((time.monotonic() for line in process.stdout
                        if line.startswith(WRITTEN)), None)
        assert process.wait() == 0 and written is not None
    return written - started


def stored_codes(store_path: Path) -> frozenset[str]:
    with sqlite3.connect(store_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    parcels = GeoPackageStore(store_path).query(ParcelFilter(include_drafts=True),
                                                with_geometry=False).parcels
    return frozenset(p.code for p in parcels)


def test_kill_during_import_leaves_old_or_new_parcels(tmp_path, bigger_district):
    env = {**os.environ, "LANDGIS_INSTANCE_PATH": str(tmp_path), "LANDGIS_SECRET_KEY": "kill",
           "LANDGIS_SAMPLE_PATH": str(SAMPLE)}
    files = {"sample": SAMPLE, "big": bigger_district}
    store = tmp_path / "landgis.gpkg"
    write_s = write_seconds(SAMPLE, env)
    expected = {"sample": stored_codes(store)}
    write_s = max(write_s, write_seconds(bigger_district, env))
    expected["big"] = stored_codes(store)
    current, rng, outcomes = "big", random.Random(20261125), {"old": 0, "new": 0}
    for _ in range(RUNS):
        target = "sample" if current == "big" else "big"
        with import_process(files[target], env) as process:
            time.sleep(rng.uniform(0, write_s * 1.3))  # a random moment of the writing
            process.send_signal(signal.SIGKILL)
            process.wait()
        codes = stored_codes(store)
        assert codes in (expected[current], expected[target]), "store holds a mix"
        outcomes["new" if codes == expected[target] else "old"] += 1
        current = target if codes == expected[target] else current
    assert sum(outcomes.values()) == RUNS
    assert outcomes["old"] and outcomes["new"], outcomes  # kills landed before and after commit
