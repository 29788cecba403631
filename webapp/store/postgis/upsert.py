"""Upsert parcels by code in PostGIS with store/upsert.py's rules and FieldChange results."""

import json
from datetime import UTC, datetime

import geopandas as gpd
import psycopg
from psycopg.types.json import Jsonb

from webapp.store.postgis.rows import extra_json, wkb_of
from webapp.store.postgis.schema import SRID
from webapp.store.upsert import (
    IMPORTED_FIELDS,
    FieldChange,
    UpsertResult,
    _changed_fields,  # the GeoPackage upsert's comparison, shared so both backends agree
    _plain,
)

INSERT_NAMES = ["id", *IMPORTED_FIELDS, "published", "version", "updated_at"]


STORED_FIELDS = (*IMPORTED_FIELDS, "published")


def _stored(conn: psycopg.Connection, table: str, codes: list[str]) -> dict[str, dict]:
    names = ", ".join(STORED_FIELDS)
    rows = conn.execute(f"SELECT id, ST_AsBinary(geom, 'NDR'), {names} FROM {table} "
                        "WHERE code = ANY(%s)", (codes,)).fetchall()
    stored = {}
    for parcel_id, wkb, *values in rows:
        current = dict(zip(STORED_FIELDS, values, strict=True))
        current["extra"] = extra_json(current["extra"])
        stored[current["code"]] = {"id": parcel_id, "wkb": bytes(wkb or b""), "values": current}
    return stored


def _column_value(name: str, value: object) -> object:
    return Jsonb(json.loads(value or "{}")) if name == "extra" else value


def _insert(conn: psycopg.Connection, table: str, values: list) -> None:
    marks = ", ".join(["%s"] * len(INSERT_NAMES))
    conn.execute(f"INSERT INTO {table} ({', '.join(INSERT_NAMES)}, geom) "
                 f"VALUES ({marks}, ST_GeomFromWKB(%s, {SRID}))", values)


def _update(conn: psycopg.Connection, table: str, parcel_id: int, changed: dict, wkb: bytes,
            now: str) -> None:
    assignments = "".join(f"{name} = %s, " for name in changed)
    conn.execute(f"UPDATE {table} SET {assignments}geom = ST_GeomFromWKB(%s, {SRID}), "
                 "version = version + 1, updated_at = %s WHERE id = %s",
                 [*(_column_value(k, v) for k, v in changed.items()), wkb, now, parcel_id])


def upsert_parcels(conn: psycopg.Connection, table: str, parcels: gpd.GeoDataFrame,
                   publish_existing: bool = False) -> UpsertResult:
    """Update parcels whose code exists (version + 1 when anything changed), insert the rest;
    stored parcels keep their published flag unless publish_existing.

    Runs in the caller's transaction, which must hold the parcel table's write lock.
    """
    result = UpsertResult()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    next_id = (conn.execute(f"SELECT MAX(id) FROM {table}").fetchone()[0] or 0) + 1
    records = parcels.to_dict("records")
    stored = _stored(conn, table, [str(_plain(r["code"])) for r in records])
    for record, wkb in zip(records, wkb_of(parcels.geometry.to_numpy()), strict=True):
        incoming = {name: _plain(record[name]) for name in IMPORTED_FIELDS}
        incoming["extra"] = extra_json(incoming["extra"])
        row = stored.get(incoming["code"])
        if row is None:
            _insert(conn, table, [next_id, *(_column_value(k, v) for k, v in incoming.items()),
                                  int(bool(record["published"])), 1, now, wkb])
            stored[incoming["code"]] = {"id": next_id, "wkb": wkb, "values": {
                **incoming, "published": int(bool(record["published"]))}}
            result.inserted, next_id = result.inserted + 1, next_id + 1
            continue
        changed = _changed_fields(row["values"], incoming, publish_existing)
        if not changed and row["wkb"] == wkb:
            result.unchanged += 1
            continue
        result.changes += [FieldChange(row["id"], k, row["values"][k], v)
                           for k, v in changed.items()]
        if row["wkb"] != wkb:
            result.changes.append(FieldChange(row["id"], "geometry", None, None))
        _update(conn, table, row["id"], changed, wkb, now)
        row.update(wkb=wkb, values={**row["values"], **incoming, **changed})
        result.updated += 1
    return result
