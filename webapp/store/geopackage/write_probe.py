"""A harmless write to a GeoPackage store, rolled back (`landgis check`): the file and its
folder can be written and no other process holds the write lock for long."""

import sqlite3
from pathlib import Path

PROBE_TABLE = "landgis_check_probe"
PROBE_TIMEOUT_S = 5


def probe_geopackage_write(path: Path, timeout_s: float = PROBE_TIMEOUT_S) -> None:
    """Take the write lock, create and fill a table, roll back. sqlite3.Error (locked, read
    only, not a database) or OSError when that cannot be done."""
    db = sqlite3.connect(path, timeout=timeout_s, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(f"CREATE TABLE {PROBE_TABLE} (x INTEGER)")
            db.execute(f"INSERT INTO {PROBE_TABLE} (x) VALUES (1)")
        finally:
            db.execute("ROLLBACK")
    finally:
        db.close()
