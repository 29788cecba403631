"""Saved import profiles in the PostGIS store's schema (mappings as jsonb): the shared SQL
profiles (webapp.store.import_profiles) over pooled transactions, the row locked FOR UPDATE
while a write changes it."""

from webapp.store.import_profiles import SQLImportProfiles, import_profile_statements
from webapp.store.postgis.database import PostGISDatabase
from webapp.store.postgis.location import PostGISLocation
from webapp.store.postgis.pipeline import COLUMN_TYPES, PostGISPipelineDatabase


def import_profile_schema_statements(location: PostGISLocation) -> list[str]:
    """The import profiles table and its index in the store's schema (idempotent)."""
    return import_profile_statements(COLUMN_TYPES, location.table)


def postgis_import_profiles(database: PostGISDatabase) -> SQLImportProfiles:
    """store.import_profiles of a PostGIS store."""
    return SQLImportProfiles(PostGISPipelineDatabase(database))
