"""Make a test store record an older layout version, as a store written by an older landgis
does: tests that drop a table or index to imitate such a store record version 1 too, so
ensure_schema runs the baseline migration that adds what its layout lacks."""

import sqlite3
from contextlib import closing

from webapp.store import GeoPackageStore
from webapp.store.schema_version import META_TABLE, VERSION_KEY


def record_layout_version(store, version: int = 1) -> None:
    """Record `version` as the store's schema version (GeoPackage or PostGIS)."""
    if isinstance(store, GeoPackageStore):
        with closing(sqlite3.connect(store.path)) as db, db:
            db.execute(f"UPDATE {META_TABLE} SET value = ? WHERE key = ?",
                       (str(version), VERSION_KEY))
        return
    with store.database.transaction() as conn:
        conn.execute(f"UPDATE {store.location.table(META_TABLE)} SET value = %s WHERE key = %s",
                     (str(version), VERSION_KEY))
