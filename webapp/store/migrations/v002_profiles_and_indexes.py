"""Saved import profiles (landgis_import_profiles), the dashboard's supply index, audit by kind."""
# The supply index reached new stores through version 1's QUERY_INDEXES; stores already at
# version 1 get it here. The audit index serves the dashboard's status changes per month, which
# otherwise scan every import's `created` and `removed` records.

import sqlite3

import psycopg

from webapp.store.geopackage.file import QUERY_INDEXES
from webapp.store.geopackage.import_profiles import create_import_profile_tables
from webapp.store.postgis.import_profiles import import_profile_schema_statements
from webapp.store.postgis.location import PostGISLocation
from webapp.store.postgis.schema import SUPPLY_INDEX
from webapp.store.supply_groups import SUPPLY_INDEX_COLUMNS
from webapp.store.tables import PARCEL_CHANGES, PARCELS

AUDIT_KIND_COLUMNS = "(field, new_value)"
TABLE_EXISTS_SQL = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"


def geopackage(db: sqlite3.Connection) -> None:
    """The profiles table (non-layer content), the supply and audit-kind indexes."""
    create_import_profile_tables(db)
    if db.execute(TABLE_EXISTS_SQL, (PARCELS,)).fetchone():
        for statement in QUERY_INDEXES:
            db.execute(statement)
        db.execute(f"ANALYZE {PARCELS}")  # else the planner ignores the new index
    db.execute(f"CREATE INDEX IF NOT EXISTS idx_{PARCEL_CHANGES}_kind "
               f"ON {PARCEL_CHANGES} {AUDIT_KIND_COLUMNS}")


def postgis(conn: psycopg.Connection, location: PostGISLocation) -> None:
    """The profiles table and its signature index, the supply and audit-kind indexes."""
    for statement in import_profile_schema_statements(location):
        conn.execute(statement)
    conn.execute(f"CREATE INDEX IF NOT EXISTS {SUPPLY_INDEX} ON {location.table(PARCELS)} "
                 f"{SUPPLY_INDEX_COLUMNS}")
    conn.execute(f"CREATE INDEX IF NOT EXISTS {PARCEL_CHANGES}_kind_idx "
                 f"ON {location.table(PARCEL_CHANGES)} {AUDIT_KIND_COLUMNS}")
