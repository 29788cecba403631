"""Fixed-window request counters shared by every server process: a SQLite file or PostGIS.

The GeoPackage store keeps its counters in a separate small SQLite file in the instance folder
(`ratelimit.sqlite`), not in the store file, so an import holding the store's write lock for a
minute never delays a request. A PostGIS store keeps them in an UNLOGGED table of its schema,
shared by every server of the district. Expired counters are purged every PURGE_EVERY increments
of a process, so the table holds about one row per client address and limit of the last window.
"""

import logging
import os
import sqlite3
import threading
import time
from pathlib import Path

logger = logging.getLogger(__name__)

COUNTERS = "landgis_rate_counters"
PURGE_EVERY = 1000  # increments of one process between two deletions of expired counters
BUSY_TIMEOUT_S = 1.0  # increments take ~50 µs; only a descheduled writer holds the lock longer
# Named parameters, written :name (SQLite) or %(name)s (psycopg) by increment_sql.
INCREMENT_SQL = (
    "INSERT INTO {table} (key, count, expires) VALUES ({key}, {amount}, {now} + {expiry}) "
    "ON CONFLICT (key) DO UPDATE SET "
    "count = CASE WHEN {table}.expires <= {now} THEN excluded.count "
    "ELSE {table}.count + excluded.count END, "
    "expires = CASE WHEN {table}.expires <= {now} THEN excluded.expires "
    "ELSE {table}.expires END RETURNING count")


def increment_sql(table: str, mark: str, now: str) -> str:
    """INCREMENT_SQL for a table, a parameter style ("{}" filled with the name) and a clock."""
    names = {name: mark.format(name) for name in ("key", "amount", "expiry")}
    return INCREMENT_SQL.format(table=table, now=now, **names)


class SQLiteCounters:
    """Counters in a SQLite file (WAL; a connection per thread and process)."""

    errors = (sqlite3.Error,)

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()
        self._increments = 0
        self._increment_sql = increment_sql(COUNTERS, ":{}", ":now")

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None or self._local.pid != os.getpid():  # a forked child opens its own
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                 check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")  # a counter lost at power loss is harmless
            db.execute(f"CREATE TABLE IF NOT EXISTS {COUNTERS} (key TEXT PRIMARY KEY, "
                       "count INTEGER NOT NULL, expires REAL NOT NULL) WITHOUT ROWID")
            self._local.db, self._local.pid = db, os.getpid()
        return db

    def incr(self, key: str, expiry_s: float, amount: int = 1) -> int:
        """Add amount to the key's counter (a new window when it expired); the new count."""
        values = {"key": key, "amount": amount, "expiry": expiry_s, "now": time.time()}
        count = self._db().execute(self._increment_sql, values).fetchone()[0]
        self._count_increment()
        return count

    def _count_increment(self) -> None:
        self._increments += 1
        if self._increments % PURGE_EVERY == 0:
            self.purge()

    def get(self, key: str) -> int:
        """The key's count in its current window (0 when none)."""
        row = self._db().execute(f"SELECT count FROM {COUNTERS} WHERE key = ? AND expires > ?",
                                 (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        """When the key's window ends (Unix time; now when it has none)."""
        row = self._db().execute(f"SELECT expires FROM {COUNTERS} WHERE key = ?",
                                 (key,)).fetchone()
        return max(row[0], time.time()) if row else time.time()

    def clear(self, key: str) -> None:
        """Forget one counter."""
        self._db().execute(f"DELETE FROM {COUNTERS} WHERE key = ?", (key,))

    def reset(self) -> int:
        """Forget every counter; how many there were."""
        return self._db().execute(f"DELETE FROM {COUNTERS}").rowcount

    def purge(self) -> int:
        """Delete expired counters; how many went."""
        gone = self._db().execute(f"DELETE FROM {COUNTERS} WHERE expires <= ?",
                                  (time.time(),)).rowcount
        logger.debug("purged %d expired rate counters", gone)
        return gone

    def row_count(self) -> int:
        """How many counters are stored (expired ones included until purged)."""
        return self._db().execute(f"SELECT COUNT(*) FROM {COUNTERS}").fetchone()[0]

    def check(self) -> bool:
        """Whether the file can be read."""
        self._db().execute("SELECT 1").fetchone()
        return True
