"""The map page's filter form read field by field: a bad field is set aside with its error and
the others still apply (the API refuses the whole request instead: filters.parse_parcel_filter).
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from webapp.domain.errors import InvalidParameterError
from webapp.domain.filters import FILTER_PARAMETERS, ParcelFilter, parse_parcel_filter
from webapp.domain.landuse import LandUseTable
from webapp.domain.messages import N_
from webapp.domain.parcel_order import DEFAULT_SORT, parse_sort

# The form's constraints a visitor can drop to widen an empty result: name → filter fields.
CONSTRAINTS: dict[str, tuple[str, ...]] = {
    "land_use": ("land_uses",), "street": ("streets",), "status": ("statuses",),
    "area": ("area_min_mu", "area_max_mu"), "q": ("text",), "bbox": ("bbox",),
}


@dataclass(frozen=True)
class FilterForm:
    """The filter and order the form asks for, and the errors of the fields left out."""

    parcel_filter: ParcelFilter
    sort: str = DEFAULT_SORT
    errors: dict[str, InvalidParameterError] = field(default_factory=dict)


def parse_filter_form(get_list: Callable[[str], list[str]], table: LandUseTable) -> FilterForm:
    """Every valid field of the form; each invalid one is left out and its error kept under
    its parameter name (area_min also for "minimum above maximum")."""
    errors: dict[str, InvalidParameterError] = {}

    def kept(name: str) -> list[str]:
        return [] if name in errors else get_list(name)

    parcel_filter = ParcelFilter()
    for _ in range(len(FILTER_PARAMETERS) + 1):  # each round sets one more field aside
        try:
            parcel_filter = parse_parcel_filter(kept, table)
            break
        except InvalidParameterError as error:
            if error.parameter in errors or error.parameter not in FILTER_PARAMETERS:
                raise
            errors[error.parameter] = error
    sort = DEFAULT_SORT
    try:
        sort = parse_sort(get_list("sort"))
    except InvalidParameterError as error:
        errors["sort"] = error
    return FilterForm(parcel_filter, sort, errors)


def widened_filters(parcel_filter: ParcelFilter) -> list[tuple[str, ParcelFilter]]:
    """(constraint name, the filter without it) for each constraint the filter sets."""
    empty = ParcelFilter()
    widened = []
    for name, fields in CONSTRAINTS.items():
        if any(getattr(parcel_filter, f) != getattr(empty, f) for f in fields):
            widened.append((name, replace(parcel_filter, **{f: getattr(empty, f)
                                                           for f in fields})))
    return widened


MAX_LIST_OFFSET = 10_000  # deeper pages of the list cost a scan that grows with the offset


def parse_list_offset(values: list[str]) -> int:
    """The result list's offset: a whole number from 0 to MAX_LIST_OFFSET (0 when not given)."""
    given = [v.strip() for v in values if v.strip()]
    if len(given) > 1:
        raise InvalidParameterError("offset", N_("given more than once"))
    if not given:
        return 0
    if not given[0].isascii() or not given[0].isdigit() or int(given[0]) > MAX_LIST_OFFSET:
        raise InvalidParameterError("offset", N_("must be a whole number from 0 to %(maximum)s"),
                                    maximum=MAX_LIST_OFFSET)
    return int(given[0])
