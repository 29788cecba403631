"""The landgis metadata table of a PostGIS schema (key → value): where the schema version lives."""

import psycopg

from webapp.store.postgis.location import PostGISLocation
from webapp.store.schema_version import META_TABLE, UNRECORDED, VERSION_KEY


def create_meta_sql(location: PostGISLocation) -> str:
    """CREATE TABLE for the metadata table (idempotent)."""
    return (f"CREATE TABLE IF NOT EXISTS {location.table(META_TABLE)} "
            "(key text PRIMARY KEY, value text NOT NULL)")


def read_schema_version(conn: psycopg.Connection, location: PostGISLocation) -> int:
    """The recorded schema version; UNRECORDED (0) when the schema has no record yet."""
    table = location.table(META_TABLE)
    if conn.execute("SELECT to_regclass(%s)", (table,)).fetchone() == (None,):
        return UNRECORDED
    row = conn.execute(f"SELECT value FROM {table} WHERE key = %s", (VERSION_KEY,)).fetchone()
    return UNRECORDED if row is None else int(row[0])


def write_schema_version(conn: psycopg.Connection, location: PostGISLocation,
                         version: int) -> None:
    """Record the version, inside the caller's transaction (the table made if need be)."""
    conn.execute(create_meta_sql(location))
    conn.execute(f"INSERT INTO {location.table(META_TABLE)} (key, value) VALUES (%s, %s) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 (VERSION_KEY, str(version)))
