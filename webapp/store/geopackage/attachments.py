"""Parcel photos and documents inside the GeoPackage: plain SQLite tables (bytes as BLOB)
registered in gpkg_contents with the data type `landgis_attachments`, so GIS clients do not
list them as layers; the shared SQL attachments (webapp.store.attachment_sql)."""

import sqlite3

from webapp.store.attachment_sql import ATTACHMENT_TABLES, SQLAttachments, attachment_statements
from webapp.store.geopackage.database import GeoPackageFile
from webapp.store.geopackage.pipeline import GeoPackagePipelineDatabase
from webapp.store.geopackage.registry import register_tables

DATA_TYPE = "landgis_attachments"
EXTENSION = "landgis_attachment_tables"
COLUMN_TYPES = {"id": "INTEGER PRIMARY KEY AUTOINCREMENT", "key": "INTEGER", "text": "TEXT",
                "ordered": "TEXT", "int": "INTEGER",
                "flag": "INTEGER CHECK ({name} IN (0, 1))", "blob": "BLOB"}


def create_attachment_tables(db: sqlite3.Connection) -> None:
    """Create and register the attachment tables where they are missing (idempotent)."""
    for statement in attachment_statements(COLUMN_TYPES, str):
        db.execute(statement)
    register_tables(db, ATTACHMENT_TABLES, DATA_TYPE,
                    "landgis parcel photos and documents (not a map layer)", EXTENSION,
                    "landgis README: Parcel photos and documents")


def geopackage_attachments(database: GeoPackageFile) -> SQLAttachments:
    """store.attachments of a GeoPackage store."""
    return SQLAttachments(GeoPackagePipelineDatabase(database))
