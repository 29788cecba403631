"""Running the numbered migrations (webapp.store.migrations) on a GeoPackage file."""

import logging
from collections.abc import Sequence

from webapp.store.geopackage.database import GeoPackageFile
from webapp.store.geopackage.meta import read_schema_version, write_schema_version
from webapp.store.migrations import Migration, all_migrations, check_not_newer, is_due

logger = logging.getLogger(__name__)


def migrate_geopackage(database: GeoPackageFile,
                       migrations: Sequence[Migration] | None = None) -> list[int]:
    """Apply every due migration, each in its own write transaction that also records its
    version (a failed one leaves the file at the previous version); the versions applied.
    SchemaTooNewError, before anything is written, for a file newer than the migrations."""
    migrations = all_migrations() if migrations is None else migrations
    where = str(database.path)
    with database.read() as db:
        check_not_newer(read_schema_version(db), migrations, where)
    applied = []
    for migration in migrations:
        with database.write_transaction() as db:
            recorded = read_schema_version(db)  # another process may have migrated meanwhile
            check_not_newer(recorded, migrations, where)
            if not is_due(migration, recorded):
                continue
            migration.geopackage(db)
            write_schema_version(db, migration.version)
        if migration.version > recorded:
            logger.info("%s: schema version %d (%s)", where, migration.version, migration.title)
            applied.append(migration.version)
    return applied
