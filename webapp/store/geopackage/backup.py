"""GeoPackage backups (`store.backups`): online copies, their checks, and restores.

A restore first copies the backup to a working file beside the store, upgrades it to this
release's schema and lifts its cache generations above the live store's (so no process's
in-memory caches, kept per generation, answer from the old content), writes the live content
to the aside file, then copies the working file into the live one in one write transaction.
"""

import os
import secrets
import sqlite3
from collections.abc import Callable
from contextlib import closing, suppress
from datetime import UTC, datetime
from pathlib import Path

from webapp.store.backup_files import (
    ASIDE_PREFIX,
    backup_name,
    finish,
    locked_folder,
    partial_path,
)
from webapp.store.backup_store import BackupError, Progress, StoreBackups
from webapp.store.geopackage.context_tables import STATE as CONTEXT_STATE
from webapp.store.geopackage.meta import read_schema_version
from webapp.store.geopackage.snapshot import copy_database, copy_into_live, open_existing
from webapp.store.geopackage.tile_tables import TILE_STATE
from webapp.store.interface import ParcelStore
from webapp.store.schema_version import CURRENT_SCHEMA_VERSION
from webapp.store.store_counts import StoreCounts, count_store
from webapp.store.tables import PARCELS, USERS

SQLITE_HEADER = b"SQLite format 3\x00"
GENERATION_TABLES = (TILE_STATE, CONTEXT_STATE)
RESTORE_PREFIX = ".landgis-restoring-"  # the working copy beside the store


class GeoPackageBackups(StoreBackups):
    """Backups of one GeoPackage file; `open_store` opens another file as a store (to count)."""

    suffix = ".gpkg"

    def __init__(self, path: Path, open_store: Callable[[Path], ParcelStore]) -> None:
        self.path = path
        self.store_name = path.stem
        self.open_store = open_store

    def write(self, path: Path, progress: Progress | None = None) -> None:
        if not self.path.is_file():
            raise BackupError(f"no parcel store at {self.path} to back up")
        copy_database(self.path, path, progress)

    def inspect(self, path: Path) -> StoreCounts:
        check_landgis_file(path)
        store = self.open_store(path)
        try:
            counts = count_store(store)
        finally:
            store.close()
        if counts.schema_version > CURRENT_SCHEMA_VERSION:
            raise BackupError(f"{path.name} has schema version {counts.schema_version}, newer "
                              f"than this landgis ({CURRENT_SCHEMA_VERSION}) can read")
        return counts

    def restore(self, path: Path, aside_folder: Path, progress: Progress | None = None) -> str:
        self.inspect(path)
        work = self.path.with_name(f"{RESTORE_PREFIX}{secrets.token_hex(6)}{self.suffix}")
        try:
            copy_database(path, work)
            store = self.open_store(work)
            try:
                store.migrate()
            finally:
                store.close()
            with closing(open_existing(work)) as db:
                db.execute("PRAGMA journal_mode=DELETE").fetchone()
                lift_generations(db, self.path)
            aside = keep_aside(self.path, aside_folder, self.suffix)
            copy_into_live(work, self.path, progress)
        finally:
            for leftover in (work, Path(f"{work}-journal")):
                with suppress(FileNotFoundError):
                    os.unlink(leftover)
        return str(aside)


def keep_aside(live: Path, folder: Path, suffix: str) -> Path:
    """Copy the live store to a finished `before-restore-landgis-…` file in the folder (written
    under a partial name, synced, renamed); its path."""
    folder.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(f"{live.resolve().as_uri()}?mode=ro", uri=True)) as db:
        version = read_schema_version(db)
    with locked_folder(folder):  # a backup run into the folder meanwhile would remove partials
        partial = partial_path(folder, suffix)
        try:
            copy_database(live, partial)
            now, n = datetime.now(UTC), 0
            while (final := folder / f"{ASIDE_PREFIX}"
                   f"{backup_name(live.stem, version, suffix, now, n)}").exists():
                n += 1
            finish(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    return final


def check_landgis_file(path: Path) -> None:
    """BackupError unless the file is a whole, intact SQLite database holding landgis's parcel
    layer and staff tables."""
    try:
        with open(path, "rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror}") from None
    if header != SQLITE_HEADER:
        raise BackupError(f"{path.name} is not a GeoPackage (no SQLite header)")
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            problems = [row[0] for row in db.execute("PRAGMA integrity_check(5)")]
            names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error as error:
        raise BackupError(f"{path.name} cannot be read as a GeoPackage: {error}") from None
    if problems != ["ok"]:
        raise BackupError(f"{path.name} fails SQLite's integrity check: {'; '.join(problems)}")
    if not {PARCELS, USERS, "gpkg_contents"} <= names:
        raise BackupError(f"{path.name} is not a landgis store (no parcel layer and accounts)")


def lift_generations(db: sqlite3.Connection, live: Path) -> None:
    """Set each generation counter of the file above both its own and the live store's."""
    with closing(sqlite3.connect(f"{live.resolve().as_uri()}?mode=ro", uri=True)) as live_db:
        for table in GENERATION_TABLES:
            try:
                theirs = live_db.execute(f"SELECT generation FROM {table}").fetchone()[0]
            except (sqlite3.OperationalError, TypeError):
                theirs = 0
            db.execute(f"UPDATE {table} SET generation = MAX(generation, ?) + 1", (theirs,))
