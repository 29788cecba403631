"""The orders a parcel list can be sorted in (the `sort` parameter) and its one parser."""

from webapp.domain.errors import InvalidParameterError
from webapp.domain.messages import N_

DEFAULT_SORT = "status"  # available parcels first, then under negotiation, reserve, sold
# Each order a visitor may ask for; "-" is descending (the OGC `sortby` convention).
SORTS = ("status", "code", "-area", "area", "price", "-price", "-updated", "updated")


def parse_sort(values: list[str]) -> str:
    """One of SORTS (DEFAULT_SORT when not given), or InvalidParameterError naming `sort`."""
    given = [v.strip() for v in values if v.strip()]
    if len(given) > 1:
        raise InvalidParameterError("sort", N_("given more than once"))
    if not given:
        return DEFAULT_SORT
    if given[0] not in SORTS:
        raise InvalidParameterError("sort", N_("unknown order “%(sort)s”; use one of "
                                               "%(allowed)s"), sort=given[0],
                                    allowed=", ".join(SORTS))
    return given[0]
