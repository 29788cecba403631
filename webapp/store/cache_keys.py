"""Cache keys of parcel filters, the bounds of the stores' caches, and which filters are kept."""

import json
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from typing import Any

from webapp.domain.filters import ParcelFilter

MB = 1024 * 1024


@dataclass(frozen=True)
class CacheLimits:
    """How much the tile and summary caches may hold, in rows and bytes."""

    tile_rows: int = 50_000
    tile_bytes: int = 512 * MB
    summary_rows: int = 2000
    summary_bytes: int = 16 * MB

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "CacheLimits":
        """The limits of TILE_CACHE_MAX_TILES, TILE_CACHE_MAX_MB and SUMMARY_CACHE_MAX_ROWS."""
        return cls(tile_rows=config["TILE_CACHE_MAX_TILES"],
                   tile_bytes=config["TILE_CACHE_MAX_MB"] * MB,
                   summary_rows=config["SUMMARY_CACHE_MAX_ROWS"])


@lru_cache(maxsize=1024)
def filter_key(parcel_filter: ParcelFilter) -> str:
    """The cache key of a filter (its bbox is the tile's own); filters are immutable, so the
    keys of recent ones are remembered."""
    values = asdict(replace(parcel_filter, bbox=None))
    return json.dumps(values, sort_keys=True, ensure_ascii=False)


def unfiltered_keys() -> tuple[str, str]:
    """Cache keys of the district's own views (published; with drafts): evicted last."""
    return filter_key(ParcelFilter()), filter_key(ParcelFilter(include_drafts=True))


def summary_key(parcel_filter: ParcelFilter, keep_any: bool = False) -> str | None:
    """The key a district summary (bounds, land-use breakdown) is kept under, None when it is
    answered fresh: free text, a bounding box or an area range can take more values than are
    worth keeping; land uses, streets and statuses come from short lists. keep_any keeps every
    filter without a bbox (the dashboard: a few kB an answer; the cache is bounded in rows)."""
    if keep_any:
        return None if parcel_filter.bbox else filter_key(parcel_filter)
    if (parcel_filter.text or parcel_filter.bbox or parcel_filter.area_min_mu is not None
            or parcel_filter.area_max_mu is not None):
        return None
    return filter_key(parcel_filter)


class KnownStreets:
    """The district's published streets, read once per store generation (a filter naming any
    other street is answered fresh and never cached: anyone can invent street names)."""

    def __init__(self, read_streets: Callable[[], Iterable[str]]) -> None:
        self._read_streets = read_streets
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._streets: frozenset[str] = frozenset()

    def cover(self, parcel_filter: ParcelFilter, generation: int) -> bool:
        """Whether every street the filter names has a published parcel (at `generation`)."""
        if not parcel_filter.streets:
            return True
        with self._lock:
            if generation != self._generation:
                self._streets = frozenset(self._read_streets())
                self._generation = generation
            return self._streets.issuperset(parcel_filter.streets)
