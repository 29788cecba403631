"""The district summaries of the map page (bounds, land-use breakdown) and of the dashboard
(supply), kept by either backend.

Both stores keep them in their own cache (geopackage.summary, postgis.summary) until parcels
change, computing a fresh answer with the store's own query when none is kept.
"""

from collections.abc import Callable
from dataclasses import astuple
from typing import Any, Protocol

from webapp.domain.filters import ParcelFilter
from webapp.store.records import Bounds, LandUseShare
from webapp.store.supply import SupplySummary


class SummaryCache(Protocol):
    """A backend's cache of summaries by name and filter."""

    def get(self, name: str, parcel_filter: ParcelFilter, compute: Callable[[], Any],
            to_json: Callable[[Any], Any], from_json: Callable[[Any], Any],
            keep_any: bool = False) -> Any:
        """The kept answer of the current generation, else compute() (kept when worth it;
        keep_any: for any filter without a bbox, see cache_keys.summary_key)."""


class KeptSummaries:
    """bounds() and landuse_breakdown() through a summary cache, computed by the backend's
    queries when the cache has no current answer."""

    def __init__(self, cache: SummaryCache,
                 compute_bounds: Callable[[ParcelFilter], Bounds | None],
                 compute_breakdown: Callable[[ParcelFilter], list[LandUseShare]],
                 compute_supply: Callable[[ParcelFilter], SupplySummary] | None = None) -> None:
        self.cache = cache
        self.compute_bounds = compute_bounds
        self.compute_breakdown = compute_breakdown
        self.compute_supply = compute_supply or (lambda f: SupplySummary())

    def bounds(self, parcel_filter: ParcelFilter | None = None) -> Bounds | None:
        f = parcel_filter or ParcelFilter()
        return self.cache.get("bounds", f, lambda: self.compute_bounds(f),
                              lambda b: b, lambda b: None if b is None else tuple(b))

    def landuse_breakdown(self, parcel_filter: ParcelFilter | None = None) -> list[LandUseShare]:
        f = parcel_filter or ParcelFilter()
        return self.cache.get("landuse_breakdown", f, lambda: self.compute_breakdown(f),
                              lambda shares: [astuple(s) for s in shares],
                              lambda rows: [LandUseShare(*row) for row in rows])

    def supply(self, parcel_filter: ParcelFilter | None = None) -> SupplySummary:
        """The dashboard's figures (webapp.store.supply), kept for any filter without a bbox
        (an anonymous visitor's area range or search text too: the cache is bounded in rows)."""
        f = parcel_filter or ParcelFilter()
        return self.cache.get("supply", f, lambda: self.compute_supply(f),
                              SupplySummary.to_json, SupplySummary.from_json, keep_any=True)

    def warm(self) -> None:
        """Compute and keep the public map page's summaries now (after an import), so the
        first visitor does not wait for them (about a second at 10^6 parcels)."""
        self.bounds()
        self.landuse_breakdown()
