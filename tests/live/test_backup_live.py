"""Acceptance: backups while editors edit and viewers read through two server processes, and
backups killed at random moments.

The storm's size comes from LANDGIS_BACKUP_EDITORS (default 4; the issue's figure is 20),
LANDGIS_BACKUP_VIEWERS (default 6; 50) and LANDGIS_BACKUP_EDITS (edits per editor, default 10;
50 for the long run). LANDGIS_BACKUP_KILL_RUNS sets the number of kills (default 6).
The backup runs as `landgis backup DIR`, a process of its own, as the systemd timer runs it.
"""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.editing_fixtures import PASSWORD
from tests.live.servers import ROOT, live_servers, prepare_instance, server_environment
from webapp.domain.audit import ChangeFilter
from webapp.domain.filters import ParcelFilter
from webapp.store import GeoPackageStore
from webapp.store.backup_files import NAME, finished_backups

pytestmark = pytest.mark.slow

EDITORS = int(os.environ.get("LANDGIS_BACKUP_EDITORS", "4"))
VIEWERS = int(os.environ.get("LANDGIS_BACKUP_VIEWERS", "6"))
EDITS = int(os.environ.get("LANDGIS_BACKUP_EDITS", "10"))
KILL_RUNS = int(os.environ.get("LANDGIS_BACKUP_KILL_RUNS", "6"))
CLI = "from webapp.cli import main; main()"
ACCEPTED = {200, 302}
STORM_START_S = 300  # at most this long for the first edits (logins hash passwords)


def client(role: str, config: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.live.backup_clients", role,
                             json.dumps(config)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def results(processes: list[subprocess.Popen]) -> list[dict]:
    found = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr[-2000:]
        found.append(json.loads(stdout))
    return found


def backup_process(env: dict, folder: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CLI, "backup", str(folder)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_edits(store, count: int) -> None:
    """Return once the store holds `count` audited note edits: the storm is under way."""
    deadline = time.monotonic() + STORM_START_S
    while store.changes(ChangeFilter(field="note"), limit=1).number_matched < count:
        assert time.monotonic() < deadline, "the editors made no edits"
        time.sleep(0.2)


def check_backup(path: Path) -> GeoPackageStore:
    """The backup passes SQLite's integrity check; its audit trail matches its parcels (every
    parcel's version is 1 + its audited versions, its note the last audited note)."""
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    backup = GeoPackageStore(path)
    for parcel in backup.query(ParcelFilter(include_drafts=True), with_geometry=False).parcels:
        rows = backup.changes(ChangeFilter(parcel_id=parcel.id), limit=100_000).changes
        versions = sorted({row.version for row in rows})
        assert versions == list(range(2, parcel.version + 1)), parcel.code
        notes = [row for row in rows if row.field == "note"]
        if notes:
            assert max(notes, key=lambda row: row.version).new_value == parcel.note
    return backup


def test_backup_during_edits_and_reads_holds_every_earlier_edit(tmp_path):
    app = prepare_instance(tmp_path, {f"editor{n:02d}": "editor" for n in range(EDITORS)})
    store = app.extensions["landgis.store"]
    parcel_ids = [store.get(code).id for code in ("T-001", "T-002", "T-003")]
    env = server_environment(app)
    with live_servers(app, 2, tmp_path) as urls:
        editors = [client("edit", {"urls": urls, "index": n, "name": f"editor{n:02d}",
                                   "password": PASSWORD, "parcel_ids": parcel_ids,
                                   "edits": EDITS}) for n in range(EDITORS)]
        stop = tmp_path / "stop-viewing"
        viewers = [client("view", {"urls": urls, "stop": str(stop)}) for _ in range(VIEWERS)]
        wait_for_edits(store, EDITORS)
        began = time.time()
        backup = backup_process(env, tmp_path / "backups")
        _, stderr = backup.communicate(timeout=300)
        assert backup.returncode == 0, stderr
        ended = time.time()
        stop.touch()
        edits = [o for r in results(editors) for o in r["outcomes"]]
        views = results(viewers)
    [path] = finished_backups(tmp_path / "backups", "landgis", ".gpkg")
    saved = check_backup(path)
    audited = {row.new_value.split("<")[0] for row in saved.changes(
        ChangeFilter(field="note"), limit=100_000).changes}
    earlier = [o for o in edits if o["status"] in ACCEPTED and o["answered_at"] < began]
    assert earlier, "no edit was accepted before the backup began"
    assert any(began < o["answered_at"] < ended for o in edits), "no edit during the backup"
    assert [o["token"] for o in earlier if o["token"] not in audited] == []
    assert sum(int(n) for v in views for s, n in v["statuses"].items() if s == "200") > 0
    assert all(s in ("200",) for v in views for s in v["statuses"]), views


def test_killed_backup_leaves_no_file_or_a_complete_one(tmp_path):
    app = prepare_instance(tmp_path, {})
    env = server_environment(app)
    folder = tmp_path / "backups"
    timing = backup_process(env, folder)
    started = None
    for line in timing.stdout:
        if line.startswith("Copying") and started is None:
            started = time.monotonic()
    assert timing.wait() == 0
    window_s = max(time.monotonic() - started, 0.05) * 1.3
    finished = len(finished_backups(folder, "landgis", ".gpkg"))
    rng = random.Random(22)
    for _ in range(KILL_RUNS):
        process = backup_process(env, folder)
        for line in process.stdout:
            if line.startswith("Copying"):
                break
        time.sleep(rng.uniform(0, window_s))
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        process.stderr.close()
        complete = finished_backups(folder, "landgis", ".gpkg")
        assert len(complete) in (finished, finished + 1)
        for path in complete:
            assert NAME.fullmatch(path.name)
            assert check_backup(path).count() == 4
        finished = len(complete)
    assert backup_process(env, folder).wait() == 0  # the next run cleans partial files up
    assert [p.name for p in folder.iterdir() if p.name.startswith(".landgis-partial")] == []
