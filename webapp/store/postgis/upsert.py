"""Upsert parcels by code in PostGIS, inside the caller's transaction (which must hold the
parcel table's write lock): the stored parcels the frame names are read,
webapp.store.upsert_plan decides, this module writes."""

import json
from datetime import UTC, datetime

import geopandas as gpd
import psycopg
from psycopg.types.json import Jsonb

from webapp.store.postgis.database import first_row
from webapp.store.postgis.rows import wkb_of
from webapp.store.postgis.schema import SRID
from webapp.store.records import UpsertResult
from webapp.store.upsert_plan import (
    COMPARED_FIELDS,
    StoredParcel,
    UpsertPlan,
    frame_chunks,
    incoming_parcels,
    plan_upsert,
    stored_parcel,
)

INSERTED = ["id", *COMPARED_FIELDS, "version", "updated_at"]


def read_stored(conn: psycopg.Connection, table: str, codes: list[str]) -> dict[str, StoredParcel]:
    """The stored parcels with these codes, by code (geometry as little-endian WKB)."""
    rows = conn.execute(f"SELECT id, ST_AsBinary(geom, 'NDR'), {', '.join(COMPARED_FIELDS)} "
                        f"FROM {table} WHERE code = ANY(%s)", (codes,)).fetchall()
    stored = {}
    for parcel_id, wkb, *values in rows:
        parcel = stored_parcel(parcel_id, bytes(wkb) if wkb is not None else None,
                               dict(zip(COMPARED_FIELDS, values, strict=True)))
        stored[str(parcel.values["code"])] = parcel
    return stored


def _column_value(name: str, value: object) -> object:
    return Jsonb(json.loads(str(value or "{}"))) if name == "extra" else value


def write_plan(conn: psycopg.Connection, table: str, plan: UpsertPlan) -> None:
    """Run a plan's inserts and updates (version + 1 and the update time on each update)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    marks = ", ".join(["%s"] * len(INSERTED))
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(INSERTED)}, geom) "
            f"VALUES ({marks}, ST_GeomFromWKB(%s, {SRID}))",
            [[parcel_id, *(_column_value(k, v) for k, v in parcel.values.items()),
              parcel.published, 1, now, parcel.geometry] for parcel_id, parcel in plan.inserts])
    for update in plan.updates:
        assignments = "".join(f"{name} = %s, " for name in update.changed)
        conn.execute(f"UPDATE {table} SET {assignments}geom = ST_GeomFromWKB(%s, {SRID}), "
                     "version = version + 1, updated_at = %s WHERE id = %s",
                     [*(_column_value(k, v) for k, v in update.changed.items()), update.geometry,
                      now, update.parcel_id])


def upsert_parcels(conn: psycopg.Connection, table: str, parcels: gpd.GeoDataFrame,
                   publish_existing: bool = False) -> UpsertResult:
    """Update parcels whose code exists (version + 1 when anything changed), insert the rest;
    stored parcels keep their published flag unless publish_existing."""
    result = UpsertResult()
    for chunk in frame_chunks(parcels):
        incoming = incoming_parcels(chunk, wkb_of(chunk.geometry.to_numpy()))
        stored = read_stored(conn, table, list({str(p.values["code"]) for p in incoming}))
        next_id = (first_row(conn.execute(f"SELECT MAX(id) FROM {table}"))[0] or 0) + 1
        plan = plan_upsert(incoming, stored, next_id, publish_existing)
        write_plan(conn, table, plan)
        result.add(plan.result)
    return result
