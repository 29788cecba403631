"""The first recorded layout: parcels, staff, audit trail, caches, context and pipeline tables."""
# (and the parcel photos and documents tables: added to the baseline before version 2 existed)

import sqlite3

import psycopg

from webapp.store.geopackage.attachments import create_attachment_tables
from webapp.store.geopackage.context_tables import create_context_tables
from webapp.store.geopackage.file import QUERY_INDEXES
from webapp.store.geopackage.pipeline import create_pipeline_tables
from webapp.store.geopackage.staff import create_staff_tables
from webapp.store.geopackage.tile_tables import (
    ensure_cache_totals,
    has_tile_tables,
    rebuild_tile_tables,
)
from webapp.store.postgis.attachments import attachment_schema_statements
from webapp.store.postgis.context_schema import context_statements
from webapp.store.postgis.location import PostGISLocation
from webapp.store.postgis.pipeline import pipeline_schema_statements
from webapp.store.postgis.schema import schema_statements
from webapp.store.tables import PARCELS

INDEX_COUNT_SQL = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"


def geopackage(db: sqlite3.Connection) -> None:
    """Staff, context and pipeline tables, query indexes, tile tables (rebuilt from the parcels
    for a file from before them) and the tile cache's totals, where missing."""
    create_staff_tables(db)
    create_context_tables(db)
    create_pipeline_tables(db)
    create_attachment_tables(db)
    before = db.execute(INDEX_COUNT_SQL, (PARCELS,)).fetchone()[0]
    for statement in QUERY_INDEXES:  # stores made before these indexes existed
        db.execute(statement)
    if db.execute(INDEX_COUNT_SQL, (PARCELS,)).fetchone()[0] != before:
        db.execute(f"ANALYZE {PARCELS}")  # else the planner ignores the new index
    if not has_tile_tables(db):
        rebuild_tile_tables(db)
    ensure_cache_totals(db)


def postgis(conn: psycopg.Connection, location: PostGISLocation) -> None:
    """The schema, parcel table (with its Web Mercator column), staff, context and pipeline
    tables and indexes, where missing."""
    statements = (schema_statements(location) + context_statements(location)
                  + pipeline_schema_statements(location)
                  + attachment_schema_statements(location))
    if conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s",
                    (location.schema,)).fetchone():
        statements = statements[1:]  # CREATE SCHEMA needs CREATE on the database
    for statement in statements:
        conn.execute(statement)
