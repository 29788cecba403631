"""The district summaries of the map page (bounds, land-use breakdown), kept by either backend.

Both stores keep them in their own cache (geopackage.summary, postgis.summary) until parcels
change, computing a fresh answer with the store's own query when none is kept.
"""

from collections.abc import Callable
from dataclasses import astuple
from typing import Any, Protocol

from webapp.domain.filters import ParcelFilter
from webapp.store.records import Bounds, LandUseShare


class SummaryCache(Protocol):
    """A backend's cache of summaries by name and filter."""

    def get(self, name: str, parcel_filter: ParcelFilter, compute: Callable[[], Any],
            to_json: Callable[[Any], Any], from_json: Callable[[Any], Any]) -> Any:
        """The kept answer of the current generation, else compute() (kept when worth it)."""


class KeptSummaries:
    """bounds() and landuse_breakdown() through a summary cache, computed by the backend's
    queries when the cache has no current answer."""

    def __init__(self, cache: SummaryCache,
                 compute_bounds: Callable[[ParcelFilter], Bounds | None],
                 compute_breakdown: Callable[[ParcelFilter], list[LandUseShare]]) -> None:
        self.cache = cache
        self.compute_bounds = compute_bounds
        self.compute_breakdown = compute_breakdown

    def bounds(self, parcel_filter: ParcelFilter | None = None) -> Bounds | None:
        f = parcel_filter or ParcelFilter()
        return self.cache.get("bounds", f, lambda: self.compute_bounds(f),
                              lambda b: b, lambda b: None if b is None else tuple(b))

    def landuse_breakdown(self, parcel_filter: ParcelFilter | None = None) -> list[LandUseShare]:
        f = parcel_filter or ParcelFilter()
        return self.cache.get("landuse_breakdown", f, lambda: self.compute_breakdown(f),
                              lambda shares: [astuple(s) for s in shares],
                              lambda rows: [LandUseShare(*row) for row in rows])

    def warm(self) -> None:
        """Compute and keep the public map page's summaries now (after an import), so the
        first visitor does not wait for them (about a second at 10^6 parcels)."""
        self.bounds()
        self.landuse_breakdown()
