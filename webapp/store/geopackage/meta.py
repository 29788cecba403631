"""The landgis metadata table of a GeoPackage (key → value): where the schema version lives.

Not `PRAGMA user_version`: the GeoPackage standard uses that header field for its own version
(10200, 10300, 10400...), which GDAL writes and readers check. The table is registered in
gpkg_contents as non-feature content, as the staff tables are, so GIS clients do not list it.
"""

import sqlite3

from webapp.store.geopackage.registry import register_tables
from webapp.store.schema_version import META_TABLE, UNRECORDED, VERSION_KEY

DATA_TYPE = "landgis_meta"
CREATE_SQL = f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def read_schema_version(db: sqlite3.Connection) -> int:
    """The recorded schema version; UNRECORDED (0) when the file has no record yet."""
    try:
        row = db.execute(f"SELECT value FROM {META_TABLE} WHERE key = ?",
                         (VERSION_KEY,)).fetchone()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return UNRECORDED
        raise
    return UNRECORDED if row is None else int(row[0])


def write_schema_version(db: sqlite3.Connection, version: int) -> None:
    """Record the version, inside the caller's write transaction (the table made if need be)."""
    db.execute(CREATE_SQL)
    register_tables(db, (META_TABLE,), DATA_TYPE, "landgis metadata (not a map layer)")
    db.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES (?, ?) "
               "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
               (VERSION_KEY, str(version)))
