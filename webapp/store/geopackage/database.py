"""The GeoPackage file as the store's backends see it: reused read connections, one write
transaction at a time (SQLite's write lock across every process), WAL for concurrent readers."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from webapp.store.geopackage.connections import ConnectionCache, end_read
from webapp.store.geopackage.functions import register_gpkg_functions, register_query_functions

WRITE_TIMEOUT_S = 30


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection to the GeoPackage with the bbox test function registered."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    register_query_functions(connection)
    return connection


class GeoPackageFile:
    """Connections to one store file: `read()` for queries, `write_transaction()` for writes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.connections = ConnectionCache(path)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """This thread's read-only connection (reused; ends any transaction the caller began)."""
        connection = self.connections.get("read", lambda: open_reader(self.path))
        try:
            yield connection
        finally:
            end_read(connection)

    @contextmanager
    def write_transaction(self) -> Iterator[sqlite3.Connection]:
        """A write connection in one IMMEDIATE transaction: committed on success, else rolled back.

        Other processes keep reading the last committed state (WAL) and wait for the write
        lock up to WRITE_TIMEOUT_S.
        """
        db = sqlite3.connect(self.path, timeout=WRITE_TIMEOUT_S, isolation_level=None)
        try:
            register_gpkg_functions(db)
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    def close(self) -> None:
        """Close this thread's connections."""
        self.connections.close()
