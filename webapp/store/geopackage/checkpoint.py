"""Checkpoints of a GeoPackage's write-ahead log made by a background thread, off the requests.

The tile cache commits one row per cold tile. With SQLite's automatic checkpoint, once the log
holds 1000 pages the commit that crossed that line copies it back into the file and syncs it
(5-10 ms, dense tiles cross it every few dozen tiles) on the request that happened to make it: the
slowest tiles of all. The cache's connection therefore turns automatic checkpoints off and
reports what it commits here; once about as much as SQLite's threshold was logged, a daemon
thread runs a PASSIVE checkpoint (it never waits for readers or writers) on its own connection
while requests go on (SQLite does the copying without holding Python's GIL). Other writers
(edits, imports) keep SQLite's automatic checkpoints.
"""

import logging
import os
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

logger = logging.getLogger(__name__)

PAGE_BYTES = 4096  # SQLite's default page size, which GDAL keeps for GeoPackages
CHECKPOINT_PAGES = 1000  # SQLite's own automatic checkpoint threshold
IDLE_EXIT_S = 60.0  # the thread ends after this long without a checkpoint to make
TOUCHED_PAGES = 2  # pages a small commit logs besides its data (leaf and parent b-tree pages)


def logged_pages(row_bytes: int) -> int:
    """About how many pages a commit of one row of that many bytes adds to the log."""
    return TOUCHED_PAGES + row_bytes // PAGE_BYTES


class BackgroundCheckpointer:
    """Tallies a WAL database's cache commits and checkpoints it from a background thread."""

    def __init__(self, path: Path, every_pages: int = CHECKPOINT_PAGES) -> None:
        self.path = path
        self.every_pages = every_pages
        self.checkpoints = 0  # completed by this process (for tests)
        self._pages = 0
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    def committed(self, row_bytes: int) -> None:
        """Tally one commit of a row of that size; once about every_pages pages were logged
        since the last checkpoint, the thread (started if need be) is woken to make one."""
        with self._lock:
            self._pages += logged_pages(row_bytes)
            if self._pages < self.every_pages:
                return
            self._pages = 0
            if self._thread is None or self._pid != os.getpid():  # none, or the parent's
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name="landgis-wal-checkpoint")
                self._pid = os.getpid()
                self._thread.start()
            self._wake.set()

    def _run(self) -> None:
        """Checkpoint whenever woken; end after IDLE_EXIT_S without work (a store object that
        is no longer used leaves no thread behind)."""
        while True:
            if not self._wake.wait(IDLE_EXIT_S):
                with self._lock:
                    if not self._wake.is_set():
                        self._thread = None
                        return
            self._wake.clear()
            self.checkpoint()

    def checkpoint(self) -> None:
        """One PASSIVE checkpoint now (skipped, and logged, when the file is busy or gone)."""
        try:
            uri = f"{Path(self.path).resolve().as_uri()}?mode=rw"  # never creates a file
            with closing(sqlite3.connect(uri, uri=True, timeout=0)) as db:
                db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.checkpoints += 1
        except sqlite3.Error as error:
            logger.debug("WAL checkpoint of %s skipped: %s", self.path, error)
