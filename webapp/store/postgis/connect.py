"""Checking a PostGIS store URL before its connection pool opens: reachable, PostGIS installed."""

import psycopg

from webapp.domain.errors import ConfigError
from webapp.store.postgis.location import PostGISLocation
from webapp.store.redaction import scrub_secrets

POSTGIS_INSTALLED_SQL = "SELECT 1 FROM pg_extension WHERE extname = 'postgis'"


def check_database(location: PostGISLocation, timeout_s: int) -> None:
    """ConfigError in one line naming the problem (refused, unknown host, wrong password, no
    such database, no PostGIS), the password masked, unless the database is usable."""
    try:
        with psycopg.connect(location.conninfo, connect_timeout=timeout_s) as conn:
            installed = conn.execute(POSTGIS_INSTALLED_SQL).fetchone()
    except psycopg.Error as error:
        reason = " ".join(line.strip() for line in str(error).splitlines() if line.strip())
        raise ConfigError(f"LANDGIS_STORE_URL: cannot connect to {location.redacted()}: "
                          f"{scrub_secrets(reason, location.conninfo)}") from None
    if not installed:
        raise ConfigError(f"LANDGIS_STORE_URL: the database of {location.redacted()} has no "
                          "PostGIS; a superuser must run CREATE EXTENSION postgis in it")
