"""Saved import profiles inside the GeoPackage: a plain SQLite table registered in gpkg_contents
with the data type `landgis_import_profiles` (not a map layer); the shared SQL profiles
(webapp.store.import_profiles) over the file's connections, mappings as JSON text."""

import sqlite3

from webapp.store.geopackage.database import GeoPackageFile
from webapp.store.geopackage.pipeline import COLUMN_TYPES, GeoPackagePipelineDatabase
from webapp.store.geopackage.registry import register_tables
from webapp.store.import_profiles import SQLImportProfiles, import_profile_statements
from webapp.store.tables import IMPORT_PROFILES

DATA_TYPE = "landgis_import_profiles"
EXTENSION = "landgis_import_profile_tables"


def create_import_profile_tables(db: sqlite3.Connection) -> None:
    """Create and register the import profiles table where it is missing (idempotent)."""
    for statement in import_profile_statements(COLUMN_TYPES, str):
        db.execute(statement)
    register_tables(db, (IMPORT_PROFILES,), DATA_TYPE,
                    "landgis saved import profiles (not a map layer)", EXTENSION,
                    "landgis README: Importing bureau files")


def geopackage_import_profiles(database: GeoPackageFile) -> SQLImportProfiles:
    """store.import_profiles of a GeoPackage store."""
    return SQLImportProfiles(GeoPackagePipelineDatabase(database))
