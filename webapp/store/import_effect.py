"""What an import would do to a store, counted before anything is written (both backends).

The file's parcels are compared chunk by chunk (UPSERT_CHUNK rows) with the stored parcels of
the same codes, exactly as an upsert plans (webapp.store.upsert_plan): only the parcels a chunk
names are read, never the whole district. Stored parcels the file does not name are counted,
not read: a replace-all removes them.
"""

from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd

from webapp.store.upsert_plan import StoredParcel, frame_chunks, incoming_parcels, plan_upsert

# A backend's reader of the stored parcels with the given codes (by code), and its geometry
# encoder (the binary form its stored geometries compare with).
StoredReader = Callable[[list[str]], dict[str, StoredParcel]]
GeometryEncoder = Callable[[object], list]


@dataclass(frozen=True)
class ImportEffect:
    """Parcels of a planned import that are new, changed or unchanged by code, and the stored
    parcels the file lacks (`removed`: what a replace-all deletes; an upsert keeps them)."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0


def count_import_effect(parcels: gpd.GeoDataFrame, read_stored: StoredReader,
                        encode: GeometryEncoder, stored_total: int,
                        publish_existing: bool = False) -> ImportEffect:
    """The effect of writing a prepared frame to a store holding stored_total parcels, whose
    parcels read_stored reads by code (within one read, for a consistent count)."""
    new = changed = unchanged = 0
    matched: set[str] = set()
    for chunk in frame_chunks(parcels):
        incoming = incoming_parcels(chunk, encode(chunk.geometry.to_numpy()))
        stored = read_stored(sorted({str(p.values["code"]) for p in incoming}))
        matched.update(stored)
        result = plan_upsert(incoming, stored, 1, publish_existing).result
        new, changed = new + result.inserted, changed + result.updated
        unchanged += result.unchanged
    return ImportEffect(new, changed, unchanged, max(stored_total - len(matched), 0))
