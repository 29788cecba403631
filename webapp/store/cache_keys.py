"""Cache keys of parcel filters, shared by the stores' tile and summary caches."""

import json
from dataclasses import asdict, replace
from functools import lru_cache

from webapp.domain.filters import ParcelFilter


@lru_cache(maxsize=1024)
def filter_key(parcel_filter: ParcelFilter) -> str:
    """The cache key of a filter (its bbox is the tile's own); filters are immutable, so the
    keys of recent ones are remembered."""
    values = asdict(replace(parcel_filter, bbox=None))
    return json.dumps(values, sort_keys=True, ensure_ascii=False)


def summary_key(parcel_filter: ParcelFilter) -> str | None:
    """The key a district summary (bounds, land-use breakdown) is kept under, None when it is
    answered fresh: free text, a bounding box or an area range can take more values than are
    worth keeping; land uses, streets and statuses come from short lists."""
    if (parcel_filter.text or parcel_filter.bbox or parcel_filter.area_min_mu is not None
            or parcel_filter.area_max_mu is not None):
        return None
    return filter_key(parcel_filter)
