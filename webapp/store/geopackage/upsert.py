"""Upsert parcels by code in the GeoPackage, inside the caller's write transaction: the stored
parcels the frame names are read, webapp.store.upsert_plan decides, this module writes."""

import sqlite3
from datetime import UTC, datetime

import geopandas as gpd

from webapp.store.geopackage.blob import gpkg_blobs_from_geometries
from webapp.store.records import UpsertResult
from webapp.store.tables import PARCELS as LAYER
from webapp.store.upsert_plan import (
    COMPARED_FIELDS,
    IncomingParcel,
    StoredParcel,
    UpsertPlan,
    frame_chunks,
    incoming_parcels,
    plan_upsert,
    stored_parcel,
)

SQL_CHUNK = 5000  # codes per IN (...) list (SQLite limits bound parameters)
INSERTED = ["fid", *COMPARED_FIELDS, "version", "updated_at", "geom"]


def read_stored(db: sqlite3.Connection, codes: list[str]) -> dict[str, StoredParcel]:
    """The stored parcels with these codes, by code (geometry as the stored blob)."""
    stored = {}
    columns = ", ".join(COMPARED_FIELDS)
    for start in range(0, len(codes), SQL_CHUNK):
        chunk = codes[start:start + SQL_CHUNK]
        rows = db.execute(f"SELECT fid, geom, {columns} FROM {LAYER} WHERE code IN "
                          f"({', '.join('?' * len(chunk))})", chunk)
        for parcel_id, blob, *values in rows:
            parcel = stored_parcel(parcel_id, blob, dict(zip(COMPARED_FIELDS, values,
                                                             strict=True)))
            stored[str(parcel.values["code"])] = parcel
    return stored


def write_plan(db: sqlite3.Connection, plan: UpsertPlan) -> None:
    """Run a plan's inserts and updates (version + 1 and the update time on each update)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    db.executemany(f"INSERT INTO {LAYER} ({', '.join(INSERTED)}) VALUES "
                   f"({', '.join('?' * len(INSERTED))})",
                   [_inserted_row(parcel_id, parcel, now) for parcel_id, parcel in plan.inserts])
    for update in plan.updates:
        assignments = "".join(f"{name} = ?, " for name in update.changed)
        db.execute(f"UPDATE {LAYER} SET {assignments}geom = ?, version = version + 1, "
                   "updated_at = ? WHERE fid = ?",
                   [*update.changed.values(), update.geometry, now, update.parcel_id])


def _inserted_row(parcel_id: int, parcel: IncomingParcel, now: str) -> list[object]:
    return [parcel_id, *parcel.values.values(), parcel.published, 1, now, parcel.geometry]


def upsert_parcels(db: sqlite3.Connection, parcels: gpd.GeoDataFrame,
                   publish_existing: bool = False) -> UpsertResult:
    """Update parcels whose code exists (version + 1 when anything changed), insert the rest;
    stored parcels keep their published flag unless publish_existing."""
    result = UpsertResult()
    for chunk in frame_chunks(parcels):
        incoming = incoming_parcels(chunk, gpkg_blobs_from_geometries(chunk.geometry.to_numpy()))
        stored = read_stored(db, list({str(p.values["code"]) for p in incoming}))
        next_id = (db.execute(f"SELECT MAX(fid) FROM {LAYER}").fetchone()[0] or 0) + 1
        plan = plan_upsert(incoming, stored, next_id, publish_existing)
        write_plan(db, plan)
        result.add(plan.result)
    return result
