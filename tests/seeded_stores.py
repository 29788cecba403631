"""First-run stores made once per session: `make_app` keeps a snapshot of the GeoPackage store
an app created from its district file (the AUTO_INIT import) and copies it into the instance
folder of every later app made from the same file, settings and LANDGIS_* environment.

The import itself still runs (once per file and settings, in the first test that asks), every
test still gets its own store file, and create_app still opens and checks it (ensure_schema).
Only the default store (STORE_URL `landgis.gpkg` in the instance folder) is snapshotted; a
PostGIS store, an own instance or sample path, or AUTO_INIT given to make_app at all always
runs the import (a test that needs the app's own store object to have imported the district,
e.g. for its in-memory tallies, passes AUTO_INIT=True).
"""

import atexit
import hashlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

STORE_FILE = "landgis.gpkg"  # the default STORE_URL, relative to the instance folder
NOT_SEEDED = frozenset({"STORE_URL", "AUTO_INIT", "INSTANCE_PATH", "SAMPLE_PATH"})
_snapshots: dict[str, Path] = {}
_folder: list[Path] = []  # the session's snapshot folder, removed at exit


def snapshot_key(source: Path, settings: dict) -> str | None:
    """What a first-run store depends on: the district file and any context/ folder beside it,
    the settings and the LANDGIS_* environment; None when the store is not seeded."""
    if NOT_SEEDED & settings.keys():
        return None
    digest = hashlib.sha256(source.read_bytes())
    context = source.parent / "context"
    for path in sorted(context.rglob("*")) if context.is_dir() else []:
        if path.is_file():
            digest.update(str(path.relative_to(context)).encode() + path.read_bytes())
    environment = sorted((k, v) for k, v in os.environ.items() if k.startswith("LANDGIS_"))
    digest.update(repr((sorted(settings.items()), environment)).encode())
    return digest.hexdigest()


def create_seeded_app(create_app: Callable, config: dict, key: str | None):
    """create_app(config) on a copy of the snapshot kept under key; without one, the app
    imports its district as usual and its new store becomes the snapshot."""
    store_path = Path(config["INSTANCE_PATH"]) / STORE_FILE
    if key is None or store_path.exists():  # not seeded, or a second app on one folder
        return create_app(config)
    if key in _snapshots:
        store_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_snapshots[key], store_path)
        return create_app(config)
    app = create_app(config)
    if app.config["STORE_URL"] == STORE_FILE and store_path.is_file():
        if not _folder:
            _folder.append(Path(tempfile.mkdtemp(prefix="landgis-seeded-stores-")))
            atexit.register(shutil.rmtree, _folder[0], ignore_errors=True)
        _snapshots[key] = copy_store(store_path, _folder[0] / f"{key}.gpkg")
    return app


def copy_store(store_path: Path, copy_path: Path) -> Path:
    """A consistent copy of a live GeoPackage store file, even one in use (SQLite's backup:
    the write-ahead log included), in WAL mode as the store made it."""
    source, target = sqlite3.connect(store_path), sqlite3.connect(copy_path)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
        source.close()
    return copy_path
