"""Connections to a PostGIS store: a pool opened on first use (never at import or construction),
reopened after a fork, closed at exit; one autocommit reading connection per thread for
single-statement reads (webapp.store.postgis.readers)."""

import atexit
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from webapp.domain.errors import ConfigError, StoreUnavailableError
from webapp.store.postgis.connect import check_database
from webapp.store.postgis.location import PostGISLocation
from webapp.store.postgis.readers import ThreadReaders

logger = logging.getLogger(__name__)

POOL_MAX_SIZE = 10
CONNECT_TIMEOUT_S = 10


def first_row(cursor: psycopg.Cursor[Any]) -> tuple[Any, ...]:
    """The row of a statement that always returns one (an aggregate, a state row)."""
    row = cursor.fetchone()
    if row is None:
        raise LookupError("the statement returned no row")
    return row


def configure_connection(conn: psycopg.Connection) -> None:
    """Session settings of every pooled connection: no JIT compilation. The store runs short
    queries; once one's estimated cost passes jit_above_cost (a dense tile's did: ST_AsMVTGeom
    is costed high), PostgreSQL spends longer compiling it (~40 ms) than running it."""
    conn.execute("SET jit = off")
    conn.commit()


class PostGISDatabase:
    """`transaction()` for writes and multi-statement reads, `autocommit()` for one-statement
    reads, `pooled_autocommit()` for statements that cannot run in a transaction (VACUUM)."""

    def __init__(self, location: PostGISLocation, max_connections: int = POOL_MAX_SIZE,
                 connect_timeout_s: int = CONNECT_TIMEOUT_S) -> None:
        self.location = location
        self.max_connections = max_connections
        self.connect_timeout_s = connect_timeout_s
        self._pool: ConnectionPool | None = None
        self._pool_pid: int | None = None
        self._lock = threading.Lock()
        self._readers = ThreadReaders(self._connect_reader, self.pooled_autocommit)

    def _open_pool(self) -> ConnectionPool:
        with self._lock:
            if self._pool is not None and self._pool_pid == os.getpid():
                return self._pool
            try:
                check_database(self.location, self.connect_timeout_s)  # a clear reason, at once
            except ConfigError:
                if self._pool_pid is None:  # at start-up: say why (landgis init, serve)
                    raise
                logger.exception("the parcel database is out of reach")
                raise StoreUnavailableError from None  # later (a forked worker): a 503
            pool = ConnectionPool(self.location.conninfo, min_size=1,
                                  max_size=self.max_connections, open=False,
                                  name=f"landgis-{self.location.schema}",
                                  configure=configure_connection,
                                  kwargs={"connect_timeout": self.connect_timeout_s})
            try:
                pool.open(wait=True, timeout=self.connect_timeout_s)
            except PoolTimeout:
                pool.close()
                raise ConfigError(f"LANDGIS_STORE_URL: cannot connect to "
                                  f"{self.location.redacted()}") from None
            if self._pool_pid is None:
                atexit.register(self.close)
            self._pool, self._pool_pid = pool, os.getpid()  # a forked child opens its own
            return pool

    def close(self) -> None:
        """Close the connection pool and the reading connections (a later call opens new
        ones)."""
        self._readers.close_all()
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None and self._pool_pid == os.getpid():
            pool.close()

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        """A pooled connection in one transaction: committed on success, else rolled back.
        A database out of reach (no connection in time, or one lost) is a StoreUnavailableError
        (503)."""
        conn = None
        try:
            with self._open_pool().connection() as conn:
                yield conn
        except PoolTimeout as error:
            raise StoreUnavailableError from error
        except psycopg.OperationalError as error:
            if conn is not None and not conn.broken:
                raise
            raise StoreUnavailableError from error

    def autocommit(self) -> AbstractContextManager[psycopg.Connection]:
        """A connection whose statements each commit on their own, for single-statement reads
        (one round trip, no BEGIN and COMMIT around it): this thread's reading connection."""
        return self._readers.connection()

    def _connect_reader(self) -> psycopg.Connection:
        self._open_pool()  # the server's reachability is checked, and reported, there
        conn = psycopg.connect(self.location.conninfo, autocommit=True,
                               connect_timeout=self.connect_timeout_s)
        configure_connection(conn)
        return conn

    @contextmanager
    def pooled_autocommit(self) -> Iterator[psycopg.Connection]:
        """A pooled connection in autocommit mode, handed back to the pool after."""
        with self._open_pool().connection() as conn:
            conn.autocommit = True
            try:
                yield conn
            finally:
                if not conn.closed:  # a broken connection is discarded by the pool
                    conn.autocommit = False
