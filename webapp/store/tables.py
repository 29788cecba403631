"""Table and column names both stores share (PostGIS qualifies them with its schema)."""

from collections.abc import Sequence

from webapp.domain.parcel_schema import STORED_FIELDS

PARCELS = "parcels"  # the feature layer GIS clients open
USERS = "landgis_users"
LOGIN_ATTEMPTS = "landgis_login_attempts"
PARCEL_CHANGES = "landgis_parcel_changes"  # the audit trail
SUMMARY_CACHE = "landgis_summary_cache"
CONTEXT_LAYERS = "landgis_context_layers"  # one row per context layer (name, title, kind...)
CONTEXT_FEATURES = "context_features"  # a feature layer GIS clients can open too
# The investment-promotion pipeline (staff-only, never a map layer):
ENQUIRIES = "landgis_enquiries"
PROJECTS = "landgis_projects"
PROJECT_PARCELS = "landgis_project_parcels"  # (project_id, parcel_code): a project's parcels
PROJECT_NOTES = "landgis_project_notes"
PROBLEMS = "landgis_problems"
PIPELINE_CHANGES = "landgis_pipeline_changes"  # the pipeline's audit trail
# Parcel photos and documents (bytes in the store) and their history:
ATTACHMENTS = "landgis_attachments"
ATTACHMENT_CHANGES = "landgis_attachment_changes"
IMPORT_PROFILES = "landgis_import_profiles"  # saved import mappings (schema version 2)

# Parcel columns besides the id and the geometry, in the order rows are selected and copied.
PARCEL_COLUMNS: tuple[str, ...] = STORED_FIELDS
USER_COLUMNS = "id, name, role, password_hash, active, login_epoch, created_at"


def checked_columns(columns: Sequence[str]) -> str:
    """The named parcel columns as an SQL select list; ValueError for any other name (the
    names go into SQL, so only the schema's own are accepted)."""
    unknown = [c for c in columns if c not in PARCEL_COLUMNS]
    if unknown:
        raise ValueError(f"not parcel columns: {', '.join(map(repr, unknown))}")
    return ", ".join(columns)
