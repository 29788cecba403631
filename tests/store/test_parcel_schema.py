"""One parcel schema: the record, the import and edit field lists and both stores' tables all
follow webapp.domain.parcel_schema."""

from dataclasses import fields

from webapp.domain import edits, parcel
from webapp.domain.parcel_schema import (
    ATTRIBUTE_TYPES,
    EDITABLE_FIELDS,
    IMPORTED_FIELDS,
    INDEXED_FIELDS,
    PARCEL_FIELDS,
    STORED_FIELDS,
    Kind,
)
from webapp.store.geopackage.file import SQLITE_TYPES
from webapp.store.postgis.schema import SQL_TYPES

POSTGRES_TYPES = {"text": "text", "integer": "integer", "double precision": "double precision",
                  "smallint": "smallint", "jsonb": "jsonb"}


def test_the_parcel_record_has_exactly_the_schema_fields():
    record = [f.name for f in fields(parcel.Parcel) if f.name not in ("id", "geometry")]
    assert sorted(record) == sorted(STORED_FIELDS)


def test_the_record_field_types_follow_the_schema_kinds():
    hints = {f.name: str(f.type) for f in fields(parcel.Parcel)}
    for field in PARCEL_FIELDS:
        assert field.python_type.__name__ in hints[field.name], field.name


def test_field_lists_derive_from_the_schema():
    assert parcel.ATTRIBUTE_TYPES is ATTRIBUTE_TYPES
    assert edits.EDITABLE_FIELDS == EDITABLE_FIELDS == (*ATTRIBUTE_TYPES, "published")
    assert (*ATTRIBUTE_TYPES, "land_use_source", "area_m2", "extra") == IMPORTED_FIELDS
    assert set(parcel.REQUIRED_ATTRIBUTES) == {"code", "land_use", "status"}


def test_geopackage_parcel_table_follows_the_schema(gpkg):
    with gpkg.database.read() as db:
        columns = {row[1]: (row[2].upper(), row[3]) for row in
                   db.execute("PRAGMA table_info(parcels)")}
        indexed = {row[1] for row in db.execute("PRAGMA index_list(parcels)")}
    assert set(columns) == {"fid", "geom", *STORED_FIELDS}
    for field in PARCEL_FIELDS:
        declared, _ = columns[field.name]
        expected = SQLITE_TYPES[field.kind]
        # GDAL declares 0/1 flags as INTEGER and may narrow them (MEDIUMINT, BOOLEAN)
        assert declared == expected or (field.kind in (Kind.INTEGER, Kind.FLAG)
                                        and declared in ("MEDIUMINT", "BOOLEAN")), field.name
    for column, kind in INDEXED_FIELDS.items():
        assert f"idx_parcels_{column}" in indexed
        with gpkg.database.read() as db:
            unique = db.execute(f"SELECT \"unique\" FROM pragma_index_list('parcels') "
                                f"WHERE name = 'idx_parcels_{column}'").fetchone()[0]
        assert bool(unique) == (kind == "unique"), column


def test_postgis_parcel_table_follows_the_schema(pg):
    with pg.database.autocommit() as conn:
        rows = conn.execute(
            "SELECT column_name, data_type, is_nullable, collation_name "
            "FROM information_schema.columns WHERE table_schema = %s AND table_name = 'parcels'",
            (pg.location.schema,)).fetchall()
        indexes = dict(conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s "
            "AND tablename = 'parcels'", (pg.location.schema,)).fetchall())
    columns = {name: (kind, nullable, collation) for name, kind, nullable, collation in rows}
    assert set(columns) == {"id", "geom", "geom_3857", *STORED_FIELDS}
    for field in PARCEL_FIELDS:
        kind, nullable, collation = columns[field.name]
        assert kind == POSTGRES_TYPES[SQL_TYPES[field.kind]], field.name
        assert (nullable == "NO") == field.required, field.name
        assert (collation == "C") == field.ordered, field.name
    for column, kind in INDEXED_FIELDS.items():
        definition = indexes[f"parcels_{column}_idx"]
        assert definition.startswith("CREATE UNIQUE INDEX") == (kind == "unique"), column
