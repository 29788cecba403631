"""Acceptance: a restore while a server process answers the parcel list: every answer holds the
parcels of one store or the other, never a mix; afterwards parcels, versions, audit trail and
accounts of the backup are back. Backup, import and restore run as `landgis` processes."""

import json
import subprocess
import sys
import threading
import urllib.request

import pytest

from tests.cli.test_backup_command import other_district
from tests.live.servers import ROOT, live_servers, prepare_instance, server_environment
from webapp.domain.audit import ChangeFilter
from webapp.domain.filters import ParcelFilter
from webapp.store import GeoPackageStore
from webapp.store.backup_files import finished_backups

pytestmark = pytest.mark.slow

CLI = "from webapp.cli import main; main()"
ITEMS = "/api/collections/parcels/items?limit=1000"


def landgis(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", CLI, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def content(store: GeoPackageStore) -> tuple:
    parcels = store.query(ParcelFilter(include_drafts=True), with_geometry=False).parcels
    changes = store.changes(ChangeFilter(), limit=10_000).changes
    return ({p.code: p.version for p in parcels},
            sorted((c.parcel_code, c.field, c.version, c.new_value) for c in changes),
            sorted((u.name, u.role) for u in store.staff.users()))


class Reader(threading.Thread):
    """Reads the parcel list from a server until stopped; keeps each answer's codes."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.answers, self.stop = url, [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            with urllib.request.urlopen(self.url + ITEMS, timeout=30) as response:
                features = json.load(response)["features"]
            self.answers.append(frozenset(f["properties"]["code"] for f in features))


def test_restore_under_a_reading_server_never_serves_a_mix(tmp_path):
    app = prepare_instance(tmp_path, {"alice": "admin"})
    store = app.extensions["landgis.store"]
    first = store.get("T-001")
    store.update_parcel(first.id, {"status": "洽谈中"}, first.version, "alice", "edit")
    env = server_environment(app)
    before = content(store)
    landgis(env, "backup")
    [backup] = finished_backups(tmp_path / "instance" / "backups", "landgis", ".gpkg")
    landgis(env, "import", str(other_district(tmp_path)), "--mode", "replace")
    old, new = frozenset({"X-001", "X-002", "X-003"}), frozenset(before[0])
    with live_servers(app, 1, tmp_path) as [url]:
        reader = Reader(url)
        reader.start()
        while not reader.answers:
            reader.join(0.05)
        output = landgis(env, "restore", "--yes", str(backup))
        seen = len(reader.answers)
        while len(reader.answers) < seen + 3:  # answers after the restore
            reader.join(0.05)
        reader.stop.set()
        reader.join()
    assert "parcels: 3 → 4" in output
    assert set(reader.answers) <= {old, new} and reader.answers[-1] == new
    assert reader.answers[0] == old
    assert content(GeoPackageStore(store.path)) == before
