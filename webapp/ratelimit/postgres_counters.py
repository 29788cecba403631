"""Request counters of a PostGIS store: an UNLOGGED table in its schema, shared by every server.

UNLOGGED: no write-ahead log for counters (a crash empties the table, which only resets the
windows); one statement per increment on the thread's autocommit connection. Times come from
the database clock, so servers with skewed clocks count the same windows.
"""

import logging
import time

import psycopg

from webapp.ratelimit import counters as shared
from webapp.ratelimit.counters import COUNTERS, increment_sql

logger = logging.getLogger(__name__)

NOW_SQL = "extract(epoch FROM clock_timestamp())::float8"


class PostgresCounters:
    """Counters in `<schema>.landgis_rate_counters`; `store` gives database.autocommit() and
    location, as PostGISStore does."""

    errors = (psycopg.Error,)

    def __init__(self, store) -> None:
        self.store = store
        self.table = store.location.table(COUNTERS)
        self._increment_sql = increment_sql(self.table, "%({})s", NOW_SQL)
        self._increments = 0

    def create_table(self) -> None:
        """Create the counters table where missing (in the store's schema, which must exist)."""
        with self.store.database.autocommit() as conn:
            conn.execute(f"CREATE UNLOGGED TABLE IF NOT EXISTS {self.table} (key text PRIMARY KEY,"
                         " count bigint NOT NULL, expires float8 NOT NULL)")

    def _one(self, sql: str, params: tuple | dict = ()) -> tuple | None:
        with self.store.database.autocommit() as conn:
            return conn.execute(sql, params).fetchone()

    def incr(self, key: str, expiry_s: float, amount: int = 1) -> int:
        """Add amount to the key's counter (a new window when it expired); the new count."""
        values = {"key": key, "amount": amount, "expiry": expiry_s}
        try:
            count = self._one(self._increment_sql, values)[0]
        except psycopg.errors.UndefinedTable:  # the first increment of this schema
            self.create_table()
            count = self._one(self._increment_sql, values)[0]
        self._increments += 1
        if self._increments % shared.PURGE_EVERY == 0:
            self.purge()
        return count

    def get(self, key: str) -> int:
        """The key's count in its current window (0 when none)."""
        row = self._one(f"SELECT count FROM {self.table} WHERE key = %s AND expires > {NOW_SQL}",
                        (key,))
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        """When the key's window ends (Unix time of this server; now when it has none)."""
        row = self._one(f"SELECT expires - {NOW_SQL} FROM {self.table} WHERE key = %s", (key,))
        return time.time() + max(row[0], 0.0) if row else time.time()

    def clear(self, key: str) -> None:
        """Forget one counter."""
        with self.store.database.autocommit() as conn:
            conn.execute(f"DELETE FROM {self.table} WHERE key = %s", (key,))

    def reset(self) -> int:
        """Forget every counter; how many there were."""
        with self.store.database.autocommit() as conn:
            return conn.execute(f"DELETE FROM {self.table}").rowcount

    def purge(self) -> int:
        """Delete expired counters; how many went."""
        with self.store.database.autocommit() as conn:
            gone = conn.execute(f"DELETE FROM {self.table} WHERE expires <= {NOW_SQL}").rowcount
        logger.debug("purged %d expired rate counters", gone)
        return gone

    def row_count(self) -> int:
        """How many counters are stored (expired ones included until purged)."""
        return self._one(f"SELECT count(*) FROM {self.table}")[0]

    def check(self) -> bool:
        """Whether the database answers."""
        try:
            self._one("SELECT 1")
        except psycopg.Error:
            return False
        return True
