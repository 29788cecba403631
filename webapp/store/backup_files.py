"""Backup file names, the folder's lock, the finishing rename and retention.

A finished backup is `landgis-<store>-<UTC time>-v<schema><suffix>`, e.g.
`landgis-landgis-20250301T020000Z-v1.gpkg`. It is written under a temporary hidden name
(`.landgis-partial-…`) that never matches, verified, synced to disk and renamed in one step, so
a backup killed at any moment leaves no file that looks complete; partial files are removed by
the next run, which holds the folder's lock (two backups into one folder take turns).
"""

import fcntl
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

PARTIAL_PREFIX = ".landgis-partial-"
ASIDE_PREFIX = "before-restore-"  # what a restore kept aside: never pruned
LOCK_NAME = ".landgis-backup.lock"
TIME_FORMAT = "%Y%m%dT%H%M%SZ"
NAME = re.compile(r"landgis-(?P<store>[\w.-]+?)-(?P<time>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?"
                  r"-v(?P<version>\d+)(?P<suffix>\.\w+)")


def backup_name(store_name: str, version: int, suffix: str, now: datetime | None = None,
                n: int = 0) -> str:
    """The finished name of a backup of this store made now (n > 0: the n-th of one second)."""
    stamp = (now or datetime.now(UTC)).strftime(TIME_FORMAT)
    return f"landgis-{store_name}-{stamp}{f'-{n}' if n else ''}-v{version}{suffix}"


def finished_backups(folder: Path, store_name: str, suffix: str) -> list[Path]:
    """The finished backups of this store in the folder, oldest first."""
    found = []
    for path in folder.glob(f"landgis-*{suffix}"):
        match = NAME.fullmatch(path.name)
        if match and match["store"] == store_name and match["suffix"] == suffix:
            found.append((match["time"], int(match["n"] or 0), path))
    return [path for _, _, path in sorted(found)]


def schema_version_of(path: Path) -> int | None:
    """The schema version a backup's name states, None for another name."""
    match = NAME.fullmatch(path.name)
    return int(match["version"]) if match else None


@contextmanager
def locked_folder(folder: Path) -> Iterator[None]:
    """Hold the folder's backup lock (an flock, released when the process dies) and remove
    partial files that runs killed earlier left behind."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_NAME, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for partial in folder.glob(f"{PARTIAL_PREFIX}*"):
            partial.unlink(missing_ok=True)
        yield


def partial_path(folder: Path, suffix: str) -> Path:
    """A fresh temporary name in the folder that no finished backup can have."""
    return folder / f"{PARTIAL_PREFIX}{secrets.token_hex(6)}{suffix}"


def free_name(folder: Path, store_name: str, version: int, suffix: str) -> Path:
    """The finished name for a backup made now: after every backup of this store made in the
    same second (numbered -1, -2... then), so it sorts as the newest."""
    now = datetime.now(UTC)
    stamp = now.strftime(TIME_FORMAT)
    taken = [int(match["n"] or 0) for path in folder.glob(f"landgis-*{stamp}*{suffix}")
             if (match := NAME.fullmatch(path.name)) and match["store"] == store_name]
    return folder / backup_name(store_name, version, suffix, now, max(taken, default=-1) + 1)


def sync_file(path: Path) -> None:
    """Flush a file's content to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to disk."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def finish(partial: Path, final: Path) -> None:
    """Sync the verified partial file, rename it to its finished name, sync the folder."""
    sync_file(partial)
    os.replace(partial, final)
    sync_folder(final.parent)


def prune(folder: Path, store_name: str, suffix: str, keep: int) -> list[Path]:
    """Delete all but the newest `keep` finished backups of this store; the deleted ones."""
    backups = finished_backups(folder, store_name, suffix)
    removed = backups[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
