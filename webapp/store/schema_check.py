"""The start-up check of a store's schema version against this release's
(webapp.store.schema_version): refuse a newer store, migrate or refuse an older one."""

import logging

from webapp.store.interface import ParcelStore
from webapp.store.migrations import SchemaOutdatedError, SchemaTooNewError
from webapp.store.schema_version import CURRENT_SCHEMA_VERSION, UNRECORDED

logger = logging.getLogger(__name__)


def prepare_schema(store: ParcelStore, migrate_on_start: bool) -> None:
    """Bring an existing store to this release's layout at start-up, or refuse to start.

    A store written by a newer landgis: SchemaTooNewError. One older than this release (but
    recorded, so made by a release with versions): migrated when migrate_on_start, else
    SchemaOutdatedError naming `landgis migrate`. A store from before version records is the
    baseline layout and gets its record here, as ensure_schema always did.
    """
    recorded = store.schema_version()
    if recorded > CURRENT_SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"the parcel store has schema version {recorded}, newer than this landgis "
            f"({CURRENT_SCHEMA_VERSION}): install the release that wrote it, or restore a "
            "backup made by this one (`landgis restore FILE`).")
    if UNRECORDED < recorded < CURRENT_SCHEMA_VERSION and not migrate_on_start:
        raise SchemaOutdatedError(
            f"the parcel store has schema version {recorded}; this landgis needs "
            f"{CURRENT_SCHEMA_VERSION}. Back it up and upgrade it first: `landgis backup` then "
            "`landgis migrate` (or set MIGRATE_ON_START = true).")
    applied = store.migrate()
    if applied:
        logger.info("migrated the parcel store to schema version %d", applied[-1])
