"""A PostGIS store used before a fork: the child opens its own pool, the parent keeps its own.

Two processes sharing one libpq connection would interleave protocol messages on one socket,
and a child closing an inherited connection would end the parent's session.
"""

import gc
import json
import os
import sys
import traceback

import pytest

from webapp.domain.audit import ChangeFilter

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (Unix)"),
    # Python 3.12+ warns on fork() with threads running (the pool's); gunicorn forks the same way.
    pytest.mark.filterwarnings("ignore:.*may lead to deadlocks:DeprecationWarning"),
]


def _backend_pid(store) -> int:
    with store.database.transaction() as conn:
        return conn.execute("SELECT pg_backend_pid()").fetchone()[0]


def _reader_pid(store) -> int:
    with store.database.autocommit() as conn:
        return conn.execute("SELECT pg_backend_pid()").fetchone()[0]


def _child_work(store, parcel_id: int) -> dict:
    """What a forked worker does: read, edit, read again; then close its own pool."""
    seen = {"backend_pid": _backend_pid(store), "reader_pid": _reader_pid(store),
            "count": store.count()}
    saved = store.update_parcel(parcel_id, {"note": "saved by the child"}, 1, "child", "form")
    seen["version"] = saved.version
    store.close()
    gc.collect()  # the parent's pool object, dropped here, must not end the parent's sessions
    return seen


def _run_in_child(work) -> dict:
    """Fork; the child runs work() and reports its JSON result (or its traceback) by pipe."""
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        status = 0
        try:
            report = json.dumps(work())
        except BaseException:  # noqa: BLE001 - reported to the parent, which fails the test
            report, status = json.dumps({"error": traceback.format_exc()}), 1
        with os.fdopen(writing, "w") as out:
            out.write(report)
        sys.stdout.flush()
        os._exit(status)
    os.close(writing)
    with os.fdopen(reading) as answers:
        report = json.loads(answers.read() or '{"error": "no report"}')
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, report.get("error")
    return report


def test_postgis_forked_child_uses_its_own_connections(pg):
    parent_pid = _backend_pid(pg)  # the parent's pool is open before the fork
    parent_reader = _reader_pid(pg)  # and its reading connection
    child = _run_in_child(lambda: _child_work(pg, pg.get("T-001").id))
    assert child["count"] == 4 and child["version"] == 2
    assert child["backend_pid"] != parent_pid
    assert child["reader_pid"] not in (parent_pid, parent_reader)


def test_postgis_parent_session_survives_a_child_closing_its_pool(pg):
    parent_pid, parent_reader = _backend_pid(pg), _reader_pid(pg)
    _run_in_child(lambda: _child_work(pg, pg.get("T-001").id))
    assert _backend_pid(pg) == parent_pid  # same server session: the child did not end it
    assert _reader_pid(pg) == parent_reader


def test_postgis_parent_sees_what_a_forked_child_saved(pg):
    _run_in_child(lambda: _child_work(pg, pg.get("T-001").id))
    assert pg.get("T-001").note == "saved by the child"
    assert [c.actor for c in pg.changes(ChangeFilter(field="note")).changes] == ["child"]


def test_postgis_parent_and_child_edit_the_same_parcel_once_each(pg):
    parcel_id = pg.get("T-002").id
    pg.update_parcel(parcel_id, {"status": "sold"}, 1, "parent", "form")

    def stale_child_edit() -> dict:
        from webapp.domain.errors import ConflictError

        try:
            store_version = pg.update_parcel(parcel_id, {"status": "reserve"}, 1, "child",
                                             "form").version
        except ConflictError as error:
            store_version = -error.current.version
        pg.close()
        return {"outcome": store_version}

    assert _run_in_child(stale_child_edit) == {"outcome": -2}  # the child saw the parent's edit
    assert pg.get("T-002").status == "sold"
