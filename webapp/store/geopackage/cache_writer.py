"""The connection that writes the tile and summary caches, and its write-ahead log checkpoints.

Cache rows are written often and small, by any request: they go through one reused connection
per thread that waits at most CACHE_WRITE_TIMEOUT_S for the write lock (a busy store skips
caching rather than wait: another worker's cache write takes well under a millisecond, while an
import holds the write lock for up to a minute at 10^6 parcels), with the log checkpointed by a
background thread (webapp.store.geopackage.checkpoint) off the request path.
"""

import sqlite3
from pathlib import Path

from webapp.store.geopackage.checkpoint import BackgroundCheckpointer
from webapp.store.geopackage.connections import ConnectionCache

CACHE_WRITE_TIMEOUT_S = 0.01
CACHE_WRITER = "cache-writer"  # the connection kind in the ConnectionCache


class CacheWriter:
    """Hands out this thread's cache-writing connection; told of each commit's size."""

    def __init__(self, path: Path, connections: ConnectionCache) -> None:
        self.path = path
        self.connections = connections
        self.checkpointer = BackgroundCheckpointer(path)

    def connection(self) -> sqlite3.Connection:
        """This thread's cache writer (sqlite3.OperationalError when the file is busy)."""
        return self.connections.get(CACHE_WRITER, self._open)

    def committed(self, size: int) -> None:
        """A cache write of about `size` bytes committed: checkpoint the log when due."""
        self.checkpointer.committed(size)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=CACHE_WRITE_TIMEOUT_S, check_same_thread=False)
        db.execute("PRAGMA synchronous=NORMAL")  # a cache row lost at power loss is fine
        db.execute("PRAGMA wal_autocheckpoint=0")  # the checkpointer's thread does it
        return db
