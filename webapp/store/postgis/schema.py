"""The DDL of a PostGIS store: the parcel table derived from the parcel schema
(webapp.domain.parcel_schema), the staff tables, the audit trail and their indexes."""

from webapp.domain.parcel_schema import INDEXED_FIELDS, PARCEL_FIELDS, Kind, ParcelField
from webapp.store.postgis.location import PostGISLocation
from webapp.store.postgis.summary import summary_statements
from webapp.store.supply_groups import SUPPLY_INDEX_COLUMNS
from webapp.store.tables import LOGIN_ATTEMPTS, PARCEL_CHANGES, PARCELS, USERS

SRID = 4326
MERCATOR_SRID = 3857
# Each parcel's Web Mercator copy, kept by PostgreSQL itself (a stored generated column), so
# tiles neither reproject nor search the index in lon/lat; imports and edits cannot miss it.
MERCATOR_COLUMN = "geom_3857"
MERCATOR_COLUMN_SQL = (f"{MERCATOR_COLUMN} geometry(MultiPolygon, {MERCATOR_SRID}) "
                       f"GENERATED ALWAYS AS (ST_Transform(geom, {MERCATOR_SRID})) STORED")


SQL_TYPES = {Kind.TEXT: "text", Kind.INTEGER: "integer", Kind.REAL: "double precision",
             Kind.FLAG: "smallint", Kind.JSON: "jsonb"}


def column_sql(field: ParcelField) -> str:
    """One parcel column's definition. Text the store compares or sorts uses the C collation,
    so order and LIKE-prefix index use match the GeoPackage store (code point order) whatever
    the database's locale."""
    sql = f"{field.name} {SQL_TYPES[field.kind]}"
    if field.ordered:
        sql += ' COLLATE "C"'
    if field.required:
        sql += " NOT NULL"
    if field.kind is Kind.FLAG:
        sql += f" DEFAULT {int(bool(field.default))} CHECK ({field.name} IN (0, 1))"
    elif field.kind is Kind.JSON:
        sql += " DEFAULT '{}'::jsonb"
    elif field.default is not None:
        sql += f" DEFAULT {field.default}"
    return sql


def parcel_table_sql(parcels: str) -> str:
    """CREATE TABLE for the parcel layer: the parcel schema's columns, lon/lat MultiPolygons
    and their Web Mercator copy."""
    columns = ",\n    ".join(column_sql(field) for field in PARCEL_FIELDS)
    return (f"CREATE TABLE IF NOT EXISTS {parcels} (\n    id integer PRIMARY KEY,\n"
            f"    {columns},\n    geom geometry(MultiPolygon, {SRID}),\n"
            f"    {MERCATOR_COLUMN_SQL})")


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
            ALTER TABLE {location.table(PARCELS)} ADD COLUMN {MERCATOR_COLUMN_SQL};
        END IF;
    END $$"""


# Land-use counts and areas (the map's filter summary) come from the index alone.
INCLUDED = {"land_use": " INCLUDE (published, area_m2)"}
# Site selection's candidates (status IN, land-use ranges, an area range: sql_filter) from one
# index range per land use, not a bitmap AND of three single-column indexes (10^6 parcels,
# ~2,000 candidates: 550 -> 40 ms), read from the index alone: it includes the columns the
# selection reads (webapp/selection/table.py TABLE_COLUMNS; 5,000 candidates: 110 -> 68 ms).
# It replaces the narrower parcels_selection_idx of stores made before it.
SELECTION_INDEX = "parcels_selection_cover_idx"
SELECTION_COLUMNS = ("(status, land_use, area_m2) INCLUDE (published, id, code, name, street, "
                     "price_start_wan, far_min, far_max, lease_years)")
OLD_SELECTION_INDEX = "parcels_selection_idx"
# The dashboard's aggregate (webapp/store/supply_groups.py) from an index-only scan in its
# order, and each land use and street's largest available parcels from its end.
SUPPLY_INDEX = "parcels_supply_cover_idx"


def schema_statements(location: PostGISLocation) -> list[str]:
    """Every statement that creates the store's schema (the first one), tables and indexes;
    all idempotent."""
    parcels = location.table(PARCELS)
    users, attempts = location.table(USERS), location.table(LOGIN_ATTEMPTS)
    changes = location.table(PARCEL_CHANGES)
    statements = [f'CREATE SCHEMA IF NOT EXISTS "{location.schema}"', parcel_table_sql(parcels),
                  add_mercator_column_sql(location),
                  f"CREATE INDEX IF NOT EXISTS parcels_geom_gist ON {parcels} USING gist (geom)",
                  f"CREATE INDEX IF NOT EXISTS parcels_{MERCATOR_COLUMN}_gist ON {parcels} "
                  f"USING gist ({MERCATOR_COLUMN})"]
    statements += [f"CREATE {'UNIQUE ' if kind == 'unique' else ''}INDEX IF NOT EXISTS "
                   f"parcels_{column}_idx ON {parcels} ({column}){INCLUDED.get(column, '')}"
                   for column, kind in INDEXED_FIELDS.items()]
    statements += [
        f"CREATE INDEX IF NOT EXISTS {SELECTION_INDEX} ON {parcels} {SELECTION_COLUMNS}",
        f"DROP INDEX IF EXISTS {location.table(OLD_SELECTION_INDEX)}",
        f"CREATE INDEX IF NOT EXISTS {SUPPLY_INDEX} ON {parcels} {SUPPLY_INDEX_COLUMNS}",
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
