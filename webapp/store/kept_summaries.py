"""The district summaries of the map page (bounds, land-use breakdown), kept by either backend.

Both stores keep them in their own cache (gpkg_summary, postgis_summary) until parcels change,
computing a fresh answer with _bounds or _landuse_breakdown when none is kept.
"""

from dataclasses import astuple

from webapp.domain.filters import ParcelFilter
from webapp.store.cache_keys import CacheLimits, KnownStreets
from webapp.store.interface import Bounds, LandUseShare


class KeptSummariesMixin:
    """bounds() and landuse_breakdown() through `self.summaries`, whose get(name, filter,
    compute, to_json, from_json) returns the kept answer or computes and keeps it."""

    cache_limits = CacheLimits()  # the app sets the configured ones (webapp.services)

    @property
    def known_streets(self) -> KnownStreets:
        """The published streets of the current generation (see cache_keys.KnownStreets)."""
        if "_known_streets" not in self.__dict__:
            self.__dict__["_known_streets"] = KnownStreets(self.streets)
        return self.__dict__["_known_streets"]

    def bounds(self, parcel_filter: ParcelFilter | None = None) -> Bounds | None:
        parcel_filter = parcel_filter or ParcelFilter()
        return self.summaries.get("bounds", parcel_filter, lambda: self._bounds(parcel_filter),
                                  lambda b: b, lambda b: None if b is None else tuple(b))

    def landuse_breakdown(self, parcel_filter: ParcelFilter | None = None) -> list[LandUseShare]:
        parcel_filter = parcel_filter or ParcelFilter()
        return self.summaries.get(
            "landuse_breakdown", parcel_filter, lambda: self._landuse_breakdown(parcel_filter),
            lambda shares: [astuple(s) for s in shares],
            lambda rows: [LandUseShare(*row) for row in rows])

    def warm_summaries(self) -> None:
        """Compute and keep the public map page's summaries now (after an import), so the
        first visitor does not wait for them (about a second at 10^6 parcels)."""
        self.bounds()
        self.landuse_breakdown()
