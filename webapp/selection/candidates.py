"""Candidates of a selection, read through the store with a hard cap, and their distances to
context layers (store.context.nearest: metres on the ground, 0 inside or touching)."""

from collections.abc import Iterable

from webapp.domain.context import Nearest
from webapp.domain.filters import ParcelFilter
from webapp.domain.parcel import Parcel
from webapp.store.context_store import ContextStore
from webapp.store.interface import ParcelStore

DEFAULT_MAX_CANDIDATES = 5000

Distances = dict[str, dict[int, Nearest]]  # layer name → parcel id → nearest feature


def fetch_candidates(store: ParcelStore, parcel_filter: ParcelFilter, cap: int,
                     with_geometry: bool = False) -> list[Parcel] | None:
    """The published parcels matching the filter (id order), or None when more than cap match:
    the store is asked for cap + 1 parcels at most, whatever the size of the district."""
    found = store.parcels_after(parcel_filter, None, cap + 1, with_geometry=with_geometry)
    return None if len(found) > cap else found


def measure_distances(context: ContextStore, layers: Iterable[str],
                      parcel_ids: list[int]) -> Distances:
    """For each named layer, the feature nearest to each parcel (parcels of an empty layer, or
    unknown to the store, are left out)."""
    if not parcel_ids:
        return {}
    return {layer: context.nearest(layer, parcel_ids) for layer in dict.fromkeys(layers)}


def nearest_of(distances: Distances, parcel_ids: Iterable[int]) -> dict[str, Nearest | None]:
    """Per layer, the nearest feature to any of the parcels (a group's distance is that of its
    closest member), None when none of them has one."""
    ids = list(parcel_ids)
    found: dict[str, Nearest | None] = {}
    for layer, by_id in distances.items():
        known = [by_id[i] for i in ids if i in by_id]
        found[layer] = min(known, key=lambda n: n.distance_m) if known else None
    return found


def with_geometries(store: ParcelStore, parcels: Iterable[Parcel]) -> dict[int, Parcel]:
    """The given parcels re-read with their geometry (for a shortlist's map), by id."""
    found = (store.get(p.id) for p in parcels)
    return {p.id: p for p in found if p is not None}

