"""At most N exports at once on a machine: N slot files, each held by one export's lock.

The locks are flock() locks on files in one folder (the instance folder's exports/), so every
server process of the machine counts against the same N, and the system releases a slot when the
process holding it dies. Where flock() does not exist (Windows, served by one waitress process),
the slots are counted inside the process.
"""

import threading
from pathlib import Path
from typing import BinaryIO

from webapp.domain.errors import ExportsBusyError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

_held_here: set[Path] = set()  # slot files this process holds (used without flock only)
_held_lock = threading.Lock()


class ExportSlot:
    """One held slot; release() (idempotent) hands it back."""

    def __init__(self, path: Path, file: BinaryIO) -> None:
        self.path = path
        self._file: BinaryIO | None = file

    def release(self) -> None:
        """Unlock the slot file (closing it drops the lock)."""
        file, self._file = self._file, None
        if file is None:
            return
        with _held_lock:
            _held_here.discard(self.path)
        file.close()


class ExportSlots:
    """`count` slot files in `folder`; acquire() takes a free one or raises ExportsBusyError."""

    def __init__(self, folder: Path, count: int) -> None:
        self.folder = folder
        self.count = count

    def acquire(self) -> ExportSlot:
        """A free slot, held until released (or until this process ends)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for index in range(self.count):
            path = self.folder / f"slot-{index}.lock"
            file = path.open("a+b")
            if _try_lock(path, file):
                return ExportSlot(path, file)
            file.close()
        raise ExportsBusyError()


def _try_lock(path: Path, file: BinaryIO) -> bool:
    if fcntl is not None:
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
    with _held_lock:
        if path in _held_here:
            return False
        _held_here.add(path)
        return True
