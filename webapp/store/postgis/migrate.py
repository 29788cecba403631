"""Running the numbered migrations (webapp.store.migrations) on a PostGIS schema."""

import logging
from collections.abc import Sequence

from webapp.store.migrations import Migration, all_migrations, check_not_newer, is_due
from webapp.store.postgis.database import PostGISDatabase
from webapp.store.postgis.meta import read_schema_version, write_schema_version

logger = logging.getLogger(__name__)
LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext(%s))"  # one migrating server at a time


def migrate_postgis(database: PostGISDatabase,
                    migrations: Sequence[Migration] | None = None) -> list[int]:
    """Apply every due migration, each in its own transaction under the schema's advisory lock
    that also records its version; the versions applied. SchemaTooNewError, before anything
    is written, for a schema newer than the migrations."""
    migrations = all_migrations() if migrations is None else migrations
    location = database.location
    where = location.redacted()
    applied = []
    for migration in migrations:
        with database.transaction() as conn:
            conn.execute(LOCK_SQL, (location.schema,))
            recorded = read_schema_version(conn, location)
            check_not_newer(recorded, migrations, where)
            if not is_due(migration, recorded):
                continue
            migration.postgis(conn, location)
            write_schema_version(conn, location, migration.version)
        if migration.version > recorded:
            logger.info("%s: schema version %d (%s)", where, migration.version, migration.title)
            applied.append(migration.version)
    return applied
