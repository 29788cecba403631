"""A harmless write to a PostGIS store, rolled back (`landgis check`): the role may create
tables in landgis's schema and write them, and the server is not a read-only standby."""

import psycopg

from webapp.domain.errors import ConfigError
from webapp.store.postgis.database import PostGISDatabase

PROBE_TABLE = "landgis_check_probe"
PROBE_TIMEOUT = "5s"  # statement and lock timeout: a check never waits long


def probe_postgis_write(database: PostGISDatabase) -> None:
    """Create and fill a table in the schema inside a transaction that is rolled back;
    ConfigError saying why when that cannot be done (StoreUnavailableError: out of reach)."""
    table = database.location.table(PROBE_TABLE)
    try:
        with database.transaction() as conn, conn.transaction(force_rollback=True):
            conn.execute(f"SET LOCAL statement_timeout = '{PROBE_TIMEOUT}'")
            conn.execute(f"SET LOCAL lock_timeout = '{PROBE_TIMEOUT}'")
            conn.execute(f"CREATE TABLE {table} (x integer)")
            conn.execute(f"INSERT INTO {table} (x) VALUES (1)")
    except psycopg.Error as error:
        reason = " ".join(str(error).split())
        raise ConfigError(f"cannot write in schema {database.location.schema}: "
                          f"{reason}") from None
