"""Open SQLite connections to one GeoPackage file, kept per thread and reused across requests.

Opening a connection costs more than a small query: SQLite parses the schema again, and closing
the last connection to a WAL database checkpoints and removes the write-ahead log. A tile or a
parcel page therefore reuses its thread's connection. A connection is never shared: not between
threads (sqlite3 forbids it), not across a fork (a worker process opens its own), and not after
the file was replaced (a new file has a new inode; the old one cannot be reused while open).
Connections left open when a store object is dropped are closed with it.
"""

import os
import sqlite3
import threading
import weakref
from collections.abc import Callable
from pathlib import Path


class ConnectionCache:
    """One connection per thread, process and kind ('read', 'cache', ...) to one file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []  # every thread's, closed with the cache
        weakref.finalize(self, _close_all, self._opened, os.getpid())

    def get(self, kind: str, opener: Callable[[], sqlite3.Connection]) -> sqlite3.Connection:
        """This thread's open connection of `kind`, opened with opener() when there is none, the
        process forked or the file changed identity since it was opened."""
        identity = _file_identity(self.path)
        slots = self._local.__dict__.setdefault("slots", {})
        slot = slots.get(kind)
        if slot is not None:
            pid, opened_identity, connection = slot
            if pid == os.getpid() and opened_identity == identity:
                return connection
            if pid == os.getpid():  # the file was replaced or removed: let the old one go
                connection.close()
                self._opened.remove(connection)
            del slots[kind]  # a parent's connection is left alone in a forked child
        connection = opener()
        self._opened.append(connection)
        slots[kind] = (os.getpid(), _file_identity(self.path), connection)
        return connection

    def close(self) -> None:
        """Close this thread's connections (others close when their thread ends)."""
        slots = self._local.__dict__.get("slots", {})
        for pid, _, connection in slots.values():
            if pid == os.getpid():
                connection.close()
                self._opened.remove(connection)
        slots.clear()


def _close_all(connections: list[sqlite3.Connection], pid: int) -> None:
    """When the cache is garbage: close what it opened (connections must be opened with
    check_same_thread=False, as the last reference may go in any thread)."""
    if os.getpid() == pid:
        for connection in connections:
            connection.close()
    connections.clear()


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino


def end_read(connection: sqlite3.Connection) -> None:
    """Leave a reused connection as a fresh one would be: no open transaction or snapshot."""
    if connection.in_transaction:
        connection.rollback()
