"""Consistent copies of a live GeoPackage through SQLite's online backup API, never a file copy.

The copy reads one snapshot: the source connection opens a read transaction first, so the
backup's steps all read the same committed state (in WAL mode a reader neither blocks writers
nor is restarted by them) while the server keeps serving and editing. The copy is left in
rollback-journal mode: one self-contained file, no -wal beside it.
"""

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

STEP_PAGES = 1024  # pages copied per step: 4 MB, then a progress report
BUSY_TIMEOUT_S = 30


def open_existing(path: Path, timeout_s: float = BUSY_TIMEOUT_S) -> sqlite3.Connection:
    """A read-write connection to a file that must exist (never creates one)."""
    uri = f"{path.resolve().as_uri()}?mode=rw"
    return sqlite3.connect(uri, uri=True, timeout=timeout_s, isolation_level=None)


def copy_database(source: Path, target: Path,
                  progress: Callable[[int, int], None] | None = None) -> None:
    """Copy the database at `source` (one snapshot) to the new file `target`."""
    uri = f"{source.resolve().as_uri()}?mode=ro"
    with (closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S,
                                  isolation_level=None)) as src,
          closing(sqlite3.connect(target)) as dst):
        src.execute("BEGIN")
        src.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # the snapshot starts
        try:
            src.backup(dst, pages=STEP_PAGES, progress=_reporter(progress))
        finally:
            src.execute("ROLLBACK")
        dst.execute("PRAGMA journal_mode=DELETE").fetchone()


def copy_into_live(source: Path, live: Path,
                   progress: Callable[[int, int], None] | None = None) -> None:
    """Replace the content of the live database at `live` with `source`'s in one write
    transaction (SQLite's backup API into the live file): other connections, in any process,
    see the old content until it commits and the new content after, never a mix, and keep
    their open connections (the file, its -wal and -shm stay the same files)."""
    with closing(open_existing(source)) as src, closing(open_existing(live)) as dst:
        src.backup(dst, pages=-1, progress=_reporter(progress), sleep=0.05)
        dst.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def _reporter(progress: Callable[[int, int], None] | None):
    if progress is None:
        return None

    def report(status: int, remaining: int, total: int) -> None:
        progress(total - remaining, total)

    return report
