"""Where a PostGIS store lives (URL → connection string and schema) and its tables' DDL.

A store URL is a libpq URI with one extra query parameter, `schema` (default `public`):
`postgresql://user:pass@host:5432/db?schema=landgis`, or over the Unix socket with peer
authentication `postgresql:///landgis?schema=landgis`. Every table is created in that schema;
PostGIS itself must already be installed in the database (CREATE EXTENSION needs rights a
landgis role should not have).
"""

import re
from dataclasses import dataclass
from urllib.parse import unquote

import psycopg
from psycopg.conninfo import conninfo_to_dict

from webapp.domain.errors import ConfigError
from webapp.store.postgis.summary import summary_statements
from webapp.store.redaction import redact_url, scrub_secrets

SCHEMA_PATTERN = re.compile(r"[a-z_][a-z0-9_]{0,62}")
DEFAULT_SCHEMA = "public"
SRID = 4326
MERCATOR_SRID = 3857
# Each parcel's Web Mercator copy, kept by PostgreSQL itself (a stored generated column), so
# tiles neither reproject nor search the index in lon/lat; imports and edits cannot miss it.
MERCATOR_COLUMN = "geom_3857"
MERCATOR_COLUMN_SQL = (f"{MERCATOR_COLUMN} geometry(MultiPolygon, {MERCATOR_SRID}) "
                       f"GENERATED ALWAYS AS (ST_Transform(geom, {MERCATOR_SRID})) STORED")


@dataclass(frozen=True)
class PostGISLocation:
    """A libpq connection string and the schema that holds the landgis tables."""

    conninfo: str
    schema: str

    def table(self, name: str) -> str:
        """The schema-qualified, quoted name of a landgis table (safe to put in SQL)."""
        return f'"{self.schema}"."{name}"'

    def redacted(self) -> str:
        """The URL with its password masked (user:***@host), for messages and logs."""
        joiner = "&" if query_start(self.conninfo) < len(self.conninfo) else "?"
        return f"{redact_url(self.conninfo)}{joiner}schema={self.schema}"


def query_start(url: str) -> int:
    """Where a libpq URI's query parameters begin (after its `?`; len(url) when it has none),
    found as libpq does: the user and password end at the first @ or / after `//`, so a
    password may hold an unencoded ?."""
    start = url.find("//") + 2 if "//" in url else 0
    end_of_userinfo = min((i for i in (url.find("@", start), url.find("/", start)) if i >= 0),
                          default=-1)
    if end_of_userinfo >= 0 and url[end_of_userinfo] == "@":
        start = end_of_userinfo + 1
    mark = url.find("?", start)
    return len(url) if mark < 0 else mark + 1


def parse_postgis_url(url: str) -> PostGISLocation:
    """Split `schema=` off a libpq URI (postgresql:// or postgres://, any form libpq accepts:
    socket paths, ?host=, several hosts, percent-encoded parts); the rest goes to psycopg
    unchanged. ConfigError for a schema that is no plain name or a URI libpq refuses."""
    start = query_start(url)
    items = url[start:].split("&") if start < len(url) else []
    schemas = [unquote(item.partition("=")[2]) for item in items
               if unquote(item.partition("=")[0]) == "schema"]
    kept = [item for item in items if unquote(item.partition("=")[0]) != "schema"]
    schema = schemas[-1] if schemas else DEFAULT_SCHEMA
    if not SCHEMA_PATTERN.fullmatch(schema):
        raise ConfigError(f"LANDGIS_STORE_URL: schema “{schema}” must be a lowercase name of "
                          "letters, digits and _ (at most 63 characters)")
    base = url[:start].removesuffix("?")
    conninfo = f"{base}?{'&'.join(kept)}" if kept else base
    check_conninfo(conninfo, url)
    return PostGISLocation(conninfo, schema)


def check_conninfo(conninfo: str, url: str) -> None:
    """ConfigError (password masked) unless libpq itself can parse the connection string."""
    try:
        conninfo_to_dict(conninfo)
    except psycopg.Error as error:
        raise ConfigError(f"LANDGIS_STORE_URL: {scrub_secrets(str(error).strip(), url)} "
                          f"({redact_url(url)})") from None


def parcel_table_sql(parcels: str) -> str:
    """CREATE TABLE for the parcel layer: the GeoPackage layer's columns, lon/lat MultiPolygons.

    Text compared or sorted by the store uses the C collation, so order and LIKE-prefix index
    use match the GeoPackage store (code point order) whatever the database's locale.
    """
    return f"""CREATE TABLE IF NOT EXISTS {parcels} (
        id integer PRIMARY KEY,
        code text COLLATE "C" NOT NULL,
        land_use text COLLATE "C" NOT NULL,
        status text COLLATE "C" NOT NULL,
        area_m2 double precision NOT NULL,
        name text, street text COLLATE "C", location text, supply_method text,
        lease_years integer,
        far_min double precision, far_max double precision,
        density_min_pct double precision, density_max_pct double precision,
        green_min_pct double precision, green_max_pct double precision,
        height_max_m double precision, price_start_wan double precision,
        deposit_wan double precision, invest_min_wan_per_mu double precision,
        tax_min_wan_per_mu double precision,
        contact text, note text, land_use_source text,
        published smallint NOT NULL DEFAULT 1 CHECK (published IN (0, 1)),
        version integer NOT NULL DEFAULT 1,
        updated_at text COLLATE "C",
        extra jsonb NOT NULL DEFAULT '{{}}'::jsonb,
        geom geometry(MultiPolygon, {SRID}),
        {MERCATOR_COLUMN_SQL})"""


# Whether the parcel table exists without the Mercator column (params: table, schema, column).
MERCATOR_MISSING_SQL = """SELECT to_regclass(%s) IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM information_schema.columns WHERE table_schema = %s
    AND table_name = 'parcels' AND column_name = %s)"""


def add_mercator_column_sql(location: PostGISLocation) -> str:
    """Adds the Web Mercator column to a parcel table made before it existed (rewrites the table
    once); a no-op that takes no table lock when the column is there."""
    return f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema =
                       '{location.schema}' AND table_name = 'parcels'
                       AND column_name = '{MERCATOR_COLUMN}') THEN
            ALTER TABLE {location.table("parcels")} ADD COLUMN {MERCATOR_COLUMN_SQL};
        END IF;
    END $$"""


INDEXED = {"code": "UNIQUE", "land_use": "", "street": "", "status": "", "area_m2": ""}
# Land-use counts and areas (the map's filter summary) come from the index alone.
INCLUDED = {"land_use": " INCLUDE (published, area_m2)"}


def schema_statements(location: PostGISLocation) -> list[str]:
    """Every statement that creates the store's schema (the first one), tables and indexes;
    all idempotent."""
    parcels = location.table("parcels")
    users, attempts = location.table("landgis_users"), location.table("landgis_login_attempts")
    changes = location.table("landgis_parcel_changes")
    statements = [f'CREATE SCHEMA IF NOT EXISTS "{location.schema}"', parcel_table_sql(parcels),
                  add_mercator_column_sql(location),
                  f"CREATE INDEX IF NOT EXISTS parcels_geom_gist ON {parcels} USING gist (geom)",
                  f"CREATE INDEX IF NOT EXISTS parcels_{MERCATOR_COLUMN}_gist ON {parcels} "
                  f"USING gist ({MERCATOR_COLUMN})"]
    statements += [f"CREATE {kind} INDEX IF NOT EXISTS parcels_{column}_idx ON {parcels} "
                   f"({column}){INCLUDED.get(column, '')}" for column, kind in INDEXED.items()]
    statements += [
        f"""CREATE TABLE IF NOT EXISTS {users} (
            id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            name text NOT NULL,
            role text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
            password_hash text NOT NULL,
            active boolean NOT NULL DEFAULT true,
            login_epoch integer NOT NULL DEFAULT 1,
            created_at text NOT NULL)""",
        f"CREATE UNIQUE INDEX IF NOT EXISTS landgis_users_name_idx ON {users} (lower(name))",
        f"""CREATE TABLE IF NOT EXISTS {attempts} (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            token text NOT NULL,
            key text NOT NULL,
            at_s double precision NOT NULL)""",
        f"CREATE INDEX IF NOT EXISTS landgis_login_attempts_key_idx ON {attempts} (key, at_s)",
        f"""CREATE TABLE IF NOT EXISTS {changes} (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            changed_at text COLLATE "C" NOT NULL,
            actor text NOT NULL,
            parcel_id integer NOT NULL,
            parcel_code text NOT NULL,
            field text NOT NULL,
            old_value jsonb,
            new_value jsonb,
            source text NOT NULL,
            version integer NOT NULL)""",
        f"CREATE INDEX IF NOT EXISTS landgis_parcel_changes_parcel_idx ON {changes} "
        "(parcel_id, version)",
        f"CREATE INDEX IF NOT EXISTS landgis_parcel_changes_time_idx ON {changes} (changed_at)",
    ]
    return statements + summary_statements(location)
