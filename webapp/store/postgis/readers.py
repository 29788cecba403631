"""One autocommit connection per thread for PostGISStore's single-statement reads (tiles, pages).

Taking a pooled connection, switching it to autocommit and back and returning it costs some
30 µs, a tenth of a z16 tile; a thread that keeps its own reading connection skips all of it and
meets the same server process each time, whose caches its previous read warmed. A thread opens
its connection on its first read; the connection is closed when the thread ends, by close_all(),
or at once when an error broke it (that read fails with StoreUnavailableError, a 503; the next
opens a new connection). Past MAX_READERS open reading connections, reads take a pooled
connection instead, so a server with many threads does not open one connection per thread. A
forked child opens its own and leaves its parent's alone.
"""

import os
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress

import psycopg

from webapp.domain.errors import StoreUnavailableError

MAX_READERS = 16


class _ReaderConnection:
    """A thread's reading connection; closed with it when the thread's locals go."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn, self.pid = conn, os.getpid()

    def usable(self) -> bool:
        return self.pid == os.getpid() and not self.conn.closed

    def close(self) -> None:
        if self.pid == os.getpid():  # closing an inherited socket would end the parent's
            self.conn.close()

    def __del__(self) -> None:
        with suppress(Exception):  # at interpreter exit anything may be gone already
            self.close()


class ThreadReaders:
    """Per-thread autocommit connections; `pooled` supplies one when MAX_READERS are open."""

    def __init__(self, connect: Callable[[], psycopg.Connection],
                 pooled: Callable[[], AbstractContextManager[psycopg.Connection]]) -> None:
        self._connect = connect
        self._pooled = pooled
        self._local = threading.local()
        self._open: weakref.WeakSet[_ReaderConnection] = weakref.WeakSet()
        self._lock = threading.Lock()

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """This thread's reading connection (autocommit), opened on first use."""
        reader = self._reader()
        if reader is None:
            with self._pooled() as conn:
                yield conn
            return
        try:
            yield reader.conn
        except psycopg.OperationalError as error:
            if not (reader.conn.broken or reader.conn.closed):
                raise
            self._forget(reader)
            raise StoreUnavailableError from error

    def close_all(self) -> None:
        """Close every thread's reading connection (each thread opens a new one on its next
        read)."""
        with self._lock:
            readers = list(self._open)
            self._open.clear()
        for reader in readers:
            reader.close()

    def _reader(self) -> _ReaderConnection | None:
        reader = getattr(self._local, "reader", None)
        if reader is not None and reader.usable() and reader in self._open:
            return reader
        with self._lock:
            if sum(1 for r in self._open if r.usable()) >= MAX_READERS:
                return None
        try:
            reader = _ReaderConnection(self._connect())
        except psycopg.OperationalError as error:
            raise StoreUnavailableError from error
        with self._lock:
            self._open.add(reader)
        self._local.reader = reader
        return reader

    def _forget(self, reader: _ReaderConnection) -> None:
        with self._lock:
            self._open.discard(reader)
        self._local.reader = None
        reader.close()
