"""Reused SQLite connections: one per thread, reopened after the file is replaced."""

import os
import sqlite3
import threading

from webapp.store.geopackage.connections import ConnectionCache, end_read


def make_db(path, value):
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (v INTEGER)")
        db.execute("INSERT INTO t VALUES (?)", (value,))
    db.close()


def test_connection_is_reused_within_a_thread(tmp_path):
    path = tmp_path / "a.db"
    make_db(path, 1)
    cache = ConnectionCache(path)
    first = cache.get("read", lambda: sqlite3.connect(path))
    assert cache.get("read", lambda: sqlite3.connect(path)) is first
    cache.close()


def test_each_thread_gets_its_own_connection(tmp_path):
    path = tmp_path / "a.db"
    make_db(path, 1)
    cache = ConnectionCache(path)
    mine = cache.get("read", lambda: sqlite3.connect(path))
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(
        cache.get("read", lambda: sqlite3.connect(path, check_same_thread=False))))
    thread.start()
    thread.join()
    assert theirs[0] is not mine
    theirs[0].close()
    cache.close()


def test_a_replaced_file_is_reopened(tmp_path):
    path, new = tmp_path / "a.db", tmp_path / "b.db"
    make_db(path, 1)
    cache = ConnectionCache(path)
    old = cache.get("read", lambda: sqlite3.connect(path))
    assert old.execute("SELECT v FROM t").fetchone() == (1,)
    make_db(new, 2)
    os.replace(new, path)
    fresh = cache.get("read", lambda: sqlite3.connect(path))
    assert fresh is not old
    assert fresh.execute("SELECT v FROM t").fetchone() == (2,)
    cache.close()


def test_end_read_leaves_no_open_transaction(tmp_path):
    path = tmp_path / "a.db"
    make_db(path, 1)
    db = sqlite3.connect(path)
    db.execute("BEGIN")
    end_read(db)
    assert not db.in_transaction
    db.close()


def test_a_dropped_cache_closes_every_thread_s_connections(tmp_path):
    import gc

    path = tmp_path / "a.db"
    make_db(path, 1)
    cache = ConnectionCache(path)
    opened = [cache.get("read", lambda: sqlite3.connect(path, check_same_thread=False))]

    def open_in_thread(cache):
        opened.append(cache.get("read", lambda: sqlite3.connect(path, check_same_thread=False)))

    thread = threading.Thread(target=open_in_thread, args=(cache,))
    thread.start()
    thread.join()
    del cache
    gc.collect()
    for connection in opened:
        try:
            connection.execute("SELECT 1")
        except sqlite3.ProgrammingError as error:
            assert "closed" in str(error)
        else:
            raise AssertionError("connection still open")
