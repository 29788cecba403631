"""Acceptance: SIGKILL at random moments never leaves a mix of old and new parcels."""

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
RUNS = int(os.environ.get("LANDGIS_KILL_RUNS", "50"))
IMPORT = "from webapp.cli import main; main()"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bigger_district(tmp_path_factory):
    """A second, larger synthetic district (1,500 parcels) to swap with the sample."""
    path = tmp_path_factory.mktemp("big") / "big.geojson"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_sample.py"), "--count",
                    "1500", "--seed", "7", "--out", str(path)], check=True, capture_output=True)
    return path


def import_process(path: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", IMPORT, "import", str(path), "--mode",
                             "replace"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


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
    started = time.monotonic()
    assert import_process(SAMPLE, env).wait() == 0
    full_run_s = time.monotonic() - started
    store = tmp_path / "landgis.gpkg"
    expected = {"sample": stored_codes(store)}
    assert import_process(bigger_district, env).wait() == 0
    expected["big"] = stored_codes(store)
    current, rng, outcomes = "big", random.Random(20261125), {"old": 0, "new": 0}
    for _ in range(RUNS):
        target = "sample" if current == "big" else "big"
        process = import_process(files[target], env)
        time.sleep(rng.uniform(0.1, full_run_s * 1.3))  # a random moment of the import
        process.send_signal(signal.SIGKILL)
        process.wait()
        codes = stored_codes(store)
        assert codes in (expected[current], expected[target]), "store holds a mix"
        outcomes["new" if codes == expected[target] else "old"] += 1
        current = target if codes == expected[target] else current
    assert sum(outcomes.values()) == RUNS
    assert outcomes["old"] and outcomes["new"], outcomes  # kills landed before and after commit
