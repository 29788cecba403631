"""The district summaries of the map page (bounds, land-use breakdown), of the dashboard
(supply) and of the API's pages (match counts, code milestones), kept by either backend.

Both stores keep them in their own cache (geopackage.summary, postgis.summary) until parcels
change, computing a fresh answer with the store's own query when none is kept.
"""

from collections.abc import Callable
from dataclasses import astuple
from typing import Any, Protocol

from webapp.domain.filters import ParcelFilter
from webapp.store.records import Bounds, LandUseShare
from webapp.store.supply import SupplySummary
from webapp.store.supply_groups import SupplyGroups, answers_from_groups, summary_from_groups

Matched = tuple[int, float]  # how many parcels match, their area in m²


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
                 compute_supply: Callable[[ParcelFilter], SupplySummary] | None = None,
                 compute_matched: Callable[[ParcelFilter], Matched] | None = None,
                 compute_milestones: Callable[[ParcelFilter], list[str]] | None = None,
                 compute_supply_groups: Callable[[], SupplyGroups] | None = None) -> None:
        self.cache = cache
        self.compute_bounds = compute_bounds
        self.compute_breakdown = compute_breakdown
        self.compute_supply = compute_supply or (lambda f: SupplySummary())
        self.compute_matched = compute_matched or _not_kept
        self.compute_milestones = compute_milestones or _not_kept
        self.compute_supply_groups = compute_supply_groups

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
        """The dashboard's figures (webapp.store.supply): a filter of land uses, streets and
        statuses from the one aggregate kept per generation (supply_groups); any other filter
        without a bbox (an area range or search text) computed and kept on its own (the cache
        is bounded in rows)."""
        f = parcel_filter or ParcelFilter()
        if self.compute_supply_groups is not None and answers_from_groups(f):
            return summary_from_groups(self.supply_groups(), f)
        return self.cache.get("supply", f, lambda: self.compute_supply(f),
                              SupplySummary.to_json, SupplySummary.from_json, keep_any=True)

    def supply_groups(self) -> SupplyGroups:
        """The published parcels' supply by (land use, street, status) and the audit trail's
        status changes by month (webapp.store.supply_groups), kept per store generation."""
        compute = self.compute_supply_groups or SupplyGroups
        return self.cache.get("supply_groups", ParcelFilter(), compute,
                              SupplyGroups.to_json, SupplyGroups.from_json)

    def matched(self, parcel_filter: ParcelFilter) -> Matched:
        """(count, area in m²) of the matching parcels: kept per store generation for the
        district and its land-use, status and street filters (cache_keys.summary_key), so a
        page's numberMatched reads no parcel until the next write; other filters are counted
        fresh."""
        return self.cache.get("matched", parcel_filter,
                              lambda: self.compute_matched(parcel_filter),
                              list, lambda pair: (int(pair[0]), float(pair[1])))

    def code_milestones(self, parcel_filter: ParcelFilter) -> list[str]:
        """The codes at every page_start.MILESTONE_EVERY-th position of the matches in code
        order, kept per store generation like matched()."""
        return self.cache.get("code_milestones", parcel_filter,
                              lambda: self.compute_milestones(parcel_filter), list, list)

    def warm(self) -> None:
        """Compute and keep the public map page's summaries now (after an import), so the
        first visitor does not wait for them (about a second at 10^6 parcels)."""
        self.bounds()
        self.landuse_breakdown()
        self.matched(ParcelFilter())
        if self.compute_supply_groups is not None:
            self.supply_groups()  # the dashboard's (about a second at 10^6 parcels)


def _not_kept(parcel_filter: ParcelFilter):
    raise NotImplementedError("this store keeps no such summary")
