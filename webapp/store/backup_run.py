"""One backup run and one restore, backend-neutral: the steps around `store.backups`."""

from dataclasses import dataclass
from pathlib import Path

from webapp.store.backup_files import finish, free_name, locked_folder, partial_path, prune
from webapp.store.backup_store import BackupError, Progress
from webapp.store.interface import ParcelStore
from webapp.store.schema_version import CURRENT_SCHEMA_VERSION
from webapp.store.store_counts import StoreCounts, count_store


@dataclass(frozen=True)
class BackupResult:
    """A finished backup: its file, what it holds, and the old backups retention removed."""

    path: Path
    counts: StoreCounts
    removed: list[Path]


@dataclass(frozen=True)
class RestoreResult:
    """A finished restore: the counts before and after, and where the old content was kept."""

    before: StoreCounts
    after: StoreCounts
    kept_aside: str


def make_backup(store: ParcelStore, folder: Path, keep: int,
                progress: Progress | None = None) -> BackupResult:
    """Write, verify, sync and name a backup of the store in folder; keep the newest `keep`.

    Only a verified copy gets a finished name; whatever happens before, only a partial file
    (removed here or by the next run) is left."""
    backups = store.backups
    with locked_folder(folder):
        partial = partial_path(folder, backups.suffix)
        try:
            backups.write(partial, progress)
            counts = backups.inspect(partial)
            final = free_name(folder, backups.store_name, counts.schema_version, backups.suffix)
            finish(partial, final)
        finally:
            partial.unlink(missing_ok=True)
        removed = prune(folder, backups.store_name, backups.suffix, keep)
    return BackupResult(final, counts, removed)


def restore_backup(store: ParcelStore, path: Path, aside_folder: Path,
                   progress: Progress | None = None) -> RestoreResult:
    """Check the backup, keep the current content aside, swap it in and upgrade it."""
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    store.backups.inspect(path)
    before = count_store(store)
    kept = store.backups.restore(path, aside_folder, progress)
    after = count_store(store)
    if after.schema_version != CURRENT_SCHEMA_VERSION:
        raise BackupError(f"the restored store is at schema version {after.schema_version}, "
                          f"not {CURRENT_SCHEMA_VERSION}: run `landgis migrate`")
    return RestoreResult(before, after, kept)
