"""No lost updates: 20 editor processes × 50 conflicting edits against two server processes.

Every edit reads a parcel from one server and saves a new note through the other, by form or
by PATCH with If-Match. Each note names the note it replaced, so the accepted notes of a parcel
must form one unbroken chain: an accepted note that no later note names and that is not the
final note was overwritten by someone who never saw it — a lost update. The same storm with
VERSION_CHECKS off must show lost updates, which proves the check can catch one.
"""

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.editing_fixtures import PASSWORD
from tests.live.servers import ROOT, live_servers, prepare_instance
from webapp.domain.audit import ChangeFilter

pytestmark = pytest.mark.slow

EDITORS = 20
EDITS_PER_EDITOR = 50
SERVERS = 2
PARCEL_CODES = ("T-001", "T-002")  # few parcels, many editors: most edits conflict
ACCEPTED = {200, 302}  # PATCH answers 200, the form redirects to the parcel page
REFUSED = {409, 412}  # the form's conflict page, the API's stale If-Match
ARTIFACTS = ROOT / "test-artifacts"


@dataclass
class Storm:
    """What the clients saw and what the store holds afterwards."""

    outcomes: list[dict]
    final_notes: dict[int, str]
    audit_rows: list
    seconds: float
    problems: list[str] = field(default_factory=list)

    def count(self, statuses: set[int]) -> int:
        """Outcomes with one of these statuses."""
        return sum(o["status"] in statuses for o in self.outcomes)


def run_clients(urls: list[str], parcel_ids: list[int]) -> list[dict]:
    """Start every editor process at once; collect their outcomes."""
    processes = []
    for index in range(EDITORS):
        config = {"urls": urls, "index": index, "name": f"editor{index:02d}",
                  "password": PASSWORD, "parcel_ids": parcel_ids, "edits": EDITS_PER_EDITOR}
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "tests.live.edit_client", json.dumps(config)], cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outcomes = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr[-2000:]
        outcomes += json.loads(stdout)["outcomes"]
    return outcomes


def run_storm(tmp_path: Path, version_checks: bool) -> Storm:
    """The whole storm on a fresh store with VERSION_CHECKS on or off."""
    app = prepare_instance(tmp_path, {f"editor{n:02d}": "editor" for n in range(EDITORS)},
                           VERSION_CHECKS=version_checks)
    store = app.extensions["landgis.store"]
    parcel_ids = [store.get(code).id for code in PARCEL_CODES]
    with live_servers(app, SERVERS, tmp_path) as urls:
        started = time.monotonic()
        outcomes = run_clients(urls, parcel_ids)
        seconds = time.monotonic() - started
    notes = {pid: store.get(pid, include_drafts=True).note for pid in parcel_ids}
    rows = store.changes(ChangeFilter(field="note"), limit=10 * EDITORS * EDITS_PER_EDITOR).changes
    return Storm(outcomes, notes, rows, seconds)


def find_problems(storm: Storm) -> list[str]:
    """Every broken promise: odd statuses, audit count, accepted notes that were lost."""
    problems = [f"{o['token']} got {o['status']}" for o in storm.outcomes
                if o["status"] not in ACCEPTED | REFUSED]
    accepted = [o for o in storm.outcomes if o["status"] in ACCEPTED]
    if len(storm.audit_rows) != len(accepted):
        problems.append(f"{len(accepted)} accepted edits but {len(storm.audit_rows)} audit rows")
    audited = {row.new_value.split("<")[0] for row in storm.audit_rows}
    problems += [f"accepted {o['token']} has no audit row" for o in accepted
                 if o["token"] not in audited]
    seen = {o["base"] for o in accepted} | {n.split("<")[0] for n in storm.final_notes.values()}
    problems += [f"lost update: {o['token']} was overwritten unseen" for o in accepted
                 if o["token"] not in seen]
    return problems


def record(storm: Storm, name: str) -> None:
    """Keep the figures in test-artifacts/ (the CI log shows only pass or fail)."""
    ARTIFACTS.mkdir(exist_ok=True)
    figures = {"editors": EDITORS, "edits_each": EDITS_PER_EDITOR, "servers": SERVERS,
               "accepted": storm.count(ACCEPTED), "refused_409": storm.count({409}),
               "refused_412": storm.count({412}), "audit_rows": len(storm.audit_rows),
               "lost_updates": sum(p.startswith("lost update") for p in storm.problems),
               "seconds": round(storm.seconds, 1)}
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")


def test_concurrent_edits_lose_nothing_with_version_checks(tmp_path):
    storm = run_storm(tmp_path, version_checks=True)
    storm.problems = find_problems(storm)
    record(storm, "concurrent-edits-version-checks-on")
    assert storm.problems == []
    assert storm.count(ACCEPTED) > 0 and storm.count({409}) > 0 and storm.count({412}) > 0
    assert len(storm.outcomes) == EDITORS * EDITS_PER_EDITOR


def test_concurrent_edits_without_version_checks_are_caught_losing_updates(tmp_path):
    storm = run_storm(tmp_path, version_checks=False)
    storm.problems = find_problems(storm)
    record(storm, "concurrent-edits-version-checks-off")
    assert any(p.startswith("lost update") for p in storm.problems), storm.problems[:5]
    assert storm.count(REFUSED) == 0
