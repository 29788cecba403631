"""PostGIS reads on one autocommit connection per thread: reused, per thread, closed with the
thread or the store, replaced when broken, and capped (past the cap reads use the pool)."""

import gc
import threading

import pytest

from webapp.domain.errors import StoreUnavailableError
from webapp.domain.filters import ParcelFilter
from webapp.store.postgis import readers as postgis_readers


def reader_pid(store) -> int:
    with store.database.autocommit() as conn:
        return conn.execute("SELECT pg_backend_pid()").fetchone()[0]


def in_thread(work):
    result = []
    thread = threading.Thread(target=lambda: result.append(work()))
    thread.start()
    thread.join()
    return result[0]


def open_sessions(store, pids) -> set[int]:
    with store.database.transaction() as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s)",
                            (list(pids),)).fetchall()
    return {row[0] for row in rows}


def test_reads_of_one_thread_share_one_autocommit_connection(pg):
    first = reader_pid(pg)
    pg.tile(16, 54333, 26632, ParcelFilter())
    assert reader_pid(pg) == first
    with pg.database.autocommit() as conn:
        assert conn.autocommit
        assert conn.execute("SHOW jit").fetchone()[0] == "off"  # configured as pooled ones


def test_each_thread_reads_on_its_own_connection_closed_when_the_thread_ends(pg):
    mine = reader_pid(pg)
    theirs = in_thread(lambda: reader_pid(pg))
    assert theirs != mine
    gc.collect()
    assert open_sessions(pg, [mine, theirs]) == {mine}


def test_close_ends_the_reading_connections_and_the_next_read_opens_another(pg):
    before = reader_pid(pg)
    pg.close()
    after = reader_pid(pg)
    assert after != before
    assert open_sessions(pg, [before, after]) == {after}


def test_a_broken_reading_connection_fails_one_read_then_is_replaced(pg):
    before = reader_pid(pg)
    with pg.database.transaction() as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (before,))
    with pytest.raises(StoreUnavailableError):
        pg.count()
    assert pg.count() == 4
    assert reader_pid(pg) != before


def test_past_the_cap_reads_take_pooled_connections(pg, monkeypatch):
    monkeypatch.setattr(postgis_readers, "MAX_READERS", 2)
    start, results, errors = threading.Barrier(5), [], []

    def read() -> None:
        try:
            start.wait()
            results.append((pg.count(), reader_pid(pg)))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and [count for count, _ in results] == [4] * 5
    assert sum(1 for r in pg.database._readers._open if r.usable()) <= 2
