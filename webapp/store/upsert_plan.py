"""The plan of an upsert by code, made once for both stores: which parcels are new, which are
unchanged, which fields of which stored parcels change.

A backend reads the stored parcels the frame names (stored_parcel per row), asks plan_upsert,
then runs the plan's inserts and updates in its own dialect, in the same transaction.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import geopandas as gpd

from webapp.domain.edits import values_differ
from webapp.domain.parcel_schema import IMPORTED_FIELDS
from webapp.store.plain_values import canonical_json, plain_value
from webapp.store.records import FieldChange, UpsertResult

# The stored fields a plan compares: what an import writes, and the published flag.
COMPARED_FIELDS = (*IMPORTED_FIELDS, "published")
# Rows planned and written at a time: memory stays that of a chunk, not of the district (a
# later chunk reads what an earlier one wrote, in the same transaction).
UPSERT_CHUNK = 5000


@dataclass(frozen=True)
class IncomingParcel:
    """One row of an import frame: imported fields as plain values (`extra` as canonical JSON
    text), its published flag (0/1) and its geometry in the backend's binary form."""

    values: dict[str, object]
    published: int
    geometry: bytes | None


@dataclass(frozen=True)
class StoredParcel:
    """A stored parcel as a plan compares it: COMPARED_FIELDS values and binary geometry."""

    id: int
    values: dict[str, object]
    geometry: bytes | None


@dataclass(frozen=True)
class ParcelUpdate:
    """Fields (name → new value) and geometry to write to one stored parcel (version + 1)."""

    parcel_id: int
    changed: dict[str, object]
    geometry: bytes | None


@dataclass
class UpsertPlan:
    """Rows to insert (with their new ids), updates to run, and the result to report."""

    inserts: list[tuple[int, IncomingParcel]] = field(default_factory=list)
    updates: list[ParcelUpdate] = field(default_factory=list)
    result: UpsertResult = field(default_factory=UpsertResult)


def frame_chunks(parcels: gpd.GeoDataFrame) -> Iterator[gpd.GeoDataFrame]:
    """The frame UPSERT_CHUNK rows at a time."""
    for start in range(0, len(parcels), UPSERT_CHUNK):
        yield parcels.iloc[start:start + UPSERT_CHUNK]


def incoming_parcels(parcels: gpd.GeoDataFrame, geometries: list) -> list[IncomingParcel]:
    """The rows of a prepared frame, with the backend's binary geometries (one per row)."""
    rows = []
    records = parcels[[*IMPORTED_FIELDS, "published"]].to_dict("records")  # no geometry
    for record, geometry in zip(records, geometries, strict=True):
        values = {name: plain_value(record[name]) for name in IMPORTED_FIELDS
                  if name != "extra"}
        values["extra"] = canonical_json(plain_value(record["extra"]))
        rows.append(IncomingParcel(values, int(bool(record["published"])), geometry))
    return rows


def stored_parcel(parcel_id: int, geometry: bytes | None,
                  values: Mapping[str, object]) -> StoredParcel:
    """A stored row (COMPARED_FIELDS values, as read) in the form a plan compares."""
    compared = dict(values)
    compared["extra"] = canonical_json(compared["extra"])
    return StoredParcel(parcel_id, compared, geometry)


def changed_fields(current: Mapping[str, object], incoming: Mapping[str, object],
                   publish: bool = False) -> dict[str, object]:
    """The imported fields whose value differs; with publish, a stored draft also gets
    published = 1 (otherwise an import never changes the published flag of a stored parcel)."""
    changed = {name: incoming[name] for name in IMPORTED_FIELDS
               if values_differ(current.get(name), incoming[name])}
    if publish and not current.get("published", 1):
        changed["published"] = 1
    return changed


def plan_upsert(incoming: list[IncomingParcel], stored: dict[str, StoredParcel], next_id: int,
                publish_existing: bool = False) -> UpsertPlan:
    """Insert the parcels whose code is not stored (ids from next_id), update those whose
    fields or geometry differ, count the rest as unchanged. A code met twice in the frame is
    compared the second time with what the first row wrote. `stored` is updated as planned."""
    plan = UpsertPlan()
    result = plan.result
    for parcel in incoming:
        code = str(parcel.values["code"])
        current = stored.get(code)
        if current is None:
            plan.inserts.append((next_id, parcel))
            result.created.append((next_id, code))
            stored[code] = StoredParcel(next_id, {**parcel.values, "published": parcel.published},
                                        parcel.geometry)
            result.inserted, next_id = result.inserted + 1, next_id + 1
            continue
        changed = changed_fields(current.values, parcel.values, publish_existing)
        geometry_changed = current.geometry != parcel.geometry
        if not changed and not geometry_changed:
            result.unchanged += 1
            continue
        result.changes += [FieldChange(current.id, name, current.values[name], value)
                           for name, value in changed.items()]
        if geometry_changed:
            result.changes.append(FieldChange(current.id, "geometry", None, None))
        plan.updates.append(ParcelUpdate(current.id, changed, parcel.geometry))
        stored[code] = StoredParcel(current.id, {**current.values, **parcel.values, **changed},
                                    parcel.geometry)
        result.updated += 1
    return plan
