"""Upsert parcels by code inside one write transaction, listing every changed field."""

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime

import geopandas as gpd

from webapp.domain.edits import values_differ
from webapp.store.geopackage.blob import gpkg_blobs_from_geometries

# Fields an import may change; id, version and updated_at are bookkeeping.
IMPORTED_FIELDS = ("code", "name", "land_use", "street", "location", "status", "supply_method",
                   "lease_years", "far_min", "far_max", "density_min_pct", "density_max_pct",
                   "green_min_pct", "green_max_pct", "height_max_m", "price_start_wan",
                   "deposit_wan", "invest_min_wan_per_mu", "tax_min_wan_per_mu", "contact",
                   "note", "land_use_source", "area_m2", "extra")


@dataclass(frozen=True)
class FieldChange:
    """One field of one parcel changed by a write."""

    parcel_id: int
    field: str
    old: object
    new: object


@dataclass
class UpsertResult:
    """What an upsert did: parcel counts and every changed field."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[FieldChange] = field(default_factory=list)


def _plain(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _changed_fields(current: dict, incoming: dict, publish: bool = False) -> dict:
    """The imported fields whose value differs; with publish, a stored draft also gets
    published = 1 (otherwise an import never changes the published flag of a stored parcel)."""
    changed = {name: incoming[name] for name in IMPORTED_FIELDS
               if values_differ(current.get(name), incoming[name])}
    if publish and not current.get("published", 1):
        changed["published"] = 1
    return changed


def upsert_rows(db: sqlite3.Connection, table: str, parcels: gpd.GeoDataFrame,
                publish_existing: bool = False) -> UpsertResult:
    """Update parcels whose code exists (version + 1 when anything changed), insert the rest;
    stored parcels keep their published flag unless publish_existing."""
    result = UpsertResult()
    columns = ", ".join([*IMPORTED_FIELDS, "published"])
    stored_fields = (*IMPORTED_FIELDS, "published")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    next_id = (db.execute(f"SELECT MAX(fid) FROM {table}").fetchone()[0] or 0) + 1
    blobs = gpkg_blobs_from_geometries(parcels.geometry.to_numpy())
    for record, blob in zip(parcels.to_dict("records"), blobs, strict=True):
        incoming = {name: _plain(record[name]) for name in IMPORTED_FIELDS}
        row = db.execute(f"SELECT fid, geom, {columns} FROM {table} WHERE code = ?",
                         (incoming["code"],)).fetchone()
        if row is None:
            names = ["fid", *IMPORTED_FIELDS, "published", "version", "updated_at", "geom"]
            values = [next_id, *incoming.values(), int(bool(record["published"])), 1, now, blob]
            db.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                       f"({', '.join('?' * len(names))})", values)
            result.inserted, next_id = result.inserted + 1, next_id + 1
            continue
        parcel_id, old_blob, *old_values = row
        current = dict(zip(stored_fields, old_values, strict=True))
        changed = _changed_fields(current, incoming, publish_existing)
        geometry_changed = old_blob != blob
        if not changed and not geometry_changed:
            result.unchanged += 1
            continue
        result.changes += [FieldChange(parcel_id, k, current[k], v) for k, v in changed.items()]
        if geometry_changed:
            result.changes.append(FieldChange(parcel_id, "geometry", None, None))
        assignments = ", ".join(f"{k} = ?" for k in changed)
        db.execute(f"UPDATE {table} SET {assignments + ', ' if changed else ''}geom = ?, "
                   "version = version + 1, updated_at = ? WHERE fid = ?",
                   [*changed.values(), blob, now, parcel_id])
        result.updated += 1
    return result
