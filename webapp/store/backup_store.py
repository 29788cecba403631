"""The backup interface every backend implements (reached as `store.backups`): write a
consistent copy of the whole store to a file, check such a file, and restore one."""

from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path

from webapp.domain.errors import LandgisError
from webapp.store.store_counts import StoreCounts

Progress = Callable[[int, int], None]  # (done, total) in the backend's units (pages, bytes)


class BackupError(LandgisError, RuntimeError):
    """A backup could not be written, or a file is not a backup landgis can restore."""


class StoreBackups(ABC):
    """Backups of one store. Files are named by webapp.store.backup_files; `suffix` is theirs."""

    suffix: str
    store_name: str  # the store's part of a backup's name (file stem or PostGIS schema)

    @abstractmethod
    def write(self, path: Path, progress: Progress | None = None) -> None:
        """Write a consistent copy of the store, as of the moment the copy began, to the new
        file `path` while the store keeps serving and editing. BackupError when unavailable."""

    @abstractmethod
    def inspect(self, path: Path) -> StoreCounts:
        """Check a backup file (complete, intact, a landgis store of a schema version this code
        can upgrade) and count what it holds; BackupError saying what is wrong."""

    @abstractmethod
    def restore(self, path: Path, aside_folder: Path, progress: Progress | None = None) -> str:
        """Replace the store's content with a checked backup in one step readers see whole,
        keeping the current content aside first (a file in aside_folder, or a renamed
        schema), then upgrade it to this release's schema; where the old content was kept."""
