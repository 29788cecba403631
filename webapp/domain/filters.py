"""ParcelFilter and the one parser that turns query-string values into it."""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from webapp.domain.errors import InvalidParameterError
from webapp.domain.landuse import LandUseTable
from webapp.domain.messages import N_
from webapp.domain.parcel import STATUSES

MAX_TEXT_LENGTH = 100
FILTER_PARAMETERS = ("land_use", "street", "status", "area_min", "area_max", "q", "bbox")


@dataclass(frozen=True)
class ParcelFilter:
    """Which parcels to show. Land-use codes match their sub-classes; areas are in 亩."""

    land_uses: tuple[str, ...] = ()
    streets: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    area_min_mu: float | None = None
    area_max_mu: float | None = None
    text: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    include_drafts: bool = False

    def is_empty(self) -> bool:
        """True when the filter selects every published parcel."""
        return self == ParcelFilter(include_drafts=self.include_drafts)

    def by_land_use(self) -> list["ParcelFilter"]:
        """The filter split into one filter per land-use code, selecting disjoint parcels that
        together are this filter's (a code a selected parent already covers is dropped);
        [self] when it names at most one code."""
        if len(self.land_uses) < 2:
            return [self]
        codes = sorted(set(self.land_uses))
        kept = [c for c in codes if not any(c != p and c.startswith(p) for p in codes)]
        return [replace(self, land_uses=(code,)) for code in kept]


def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def parse_number(name: str, value: str, minimum: float = 0.0) -> float:
    """A finite number ≥ minimum, or InvalidParameterError naming the parameter."""
    try:
        number = float(value)
    except ValueError:
        raise InvalidParameterError(name, N_("“%(value)s” is not a number"), value=value) from None
    if not math.isfinite(number) or number < minimum:
        raise InvalidParameterError(
            name, N_("must be a number ≥ %(minimum)s"), minimum=f"{minimum:g}")
    return number


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """'minlon,minlat,maxlon,maxlat' in CRS84 (6 numbers: the heights are dropped)."""
    parts = value.split(",")
    if len(parts) not in (4, 6):
        raise InvalidParameterError("bbox", N_("needs 4 or 6 comma-separated numbers"))
    numbers = [parse_number("bbox", p, minimum=-math.inf) for p in parts]
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    minx, miny, maxx, maxy = numbers
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise InvalidParameterError("bbox", N_("longitudes must be within ±180 and latitudes "
                                                "within ±90, minimum before maximum"))
    return minx, miny, maxx, maxy


def parse_land_uses(values: list[str], table: LandUseTable) -> tuple[str, ...]:
    """Land-use codes of the primary scheme from comma-separated values (duplicates dropped)."""
    codes = _split(values)
    for code in codes:
        if code not in table:
            raise InvalidParameterError(
                "land_use", N_("unknown land-use code “%(code)s”"), code=code)
    return tuple(dict.fromkeys(codes))


def parse_statuses(values: list[str]) -> tuple[str, ...]:
    """Parcel statuses from comma-separated values (duplicates dropped)."""
    statuses = _split(values)
    for status in statuses:
        if status not in STATUSES:
            raise InvalidParameterError("status", N_("unknown status “%(status)s”; use one of "
                                                     "%(allowed)s"), status=status,
                                        allowed=", ".join(STATUSES))
    return tuple(dict.fromkeys(statuses))


def parse_text(values: list[str]) -> str | None:
    """The search text (whitespace collapsed), or None when empty."""
    text = re.sub(r"\s+", " ", " ".join(values)).strip()
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidParameterError("q", N_("search text is longer than %(limit)s characters"),
                                    limit=MAX_TEXT_LENGTH)
    return text or None


def _parse_one_number(name: str, values: list[str]) -> float | None:
    values = [v for v in values if v.strip()]
    if len(values) > 1:
        raise InvalidParameterError(name, N_("given more than once"))
    return parse_number(name, values[0].strip()) if values else None


def parse_parcel_filter(get_list: Callable[[str], list[str]], table: LandUseTable) -> ParcelFilter:
    """Build a ParcelFilter from query values (`get_list(name)` gives every value of a name)."""
    area_min = _parse_one_number("area_min", get_list("area_min"))
    area_max = _parse_one_number("area_max", get_list("area_max"))
    if area_min is not None and area_max is not None and area_min > area_max:
        raise InvalidParameterError("area_min", N_("minimum area is larger than maximum area"))
    bbox_values = [v for v in get_list("bbox") if v.strip()]
    if len(bbox_values) > 1:
        raise InvalidParameterError("bbox", N_("given more than once"))
    return ParcelFilter(
        land_uses=parse_land_uses(get_list("land_use"), table),
        streets=tuple(dict.fromkeys(_split(get_list("street")))),
        statuses=parse_statuses(get_list("status")),
        area_min_mu=area_min,
        area_max_mu=area_max,
        text=parse_text(get_list("q")),
        bbox=parse_bbox(bbox_values[0]) if bbox_values else None,
    )


def filter_to_query(parcel_filter: ParcelFilter) -> list[tuple[str, str]]:
    """The query-string pairs that parse back into the same filter (for shareable links)."""
    pairs = [("land_use", c) for c in parcel_filter.land_uses]
    pairs += [("street", s) for s in parcel_filter.streets]
    pairs += [("status", s) for s in parcel_filter.statuses]
    if parcel_filter.area_min_mu is not None:
        pairs.append(("area_min", f"{parcel_filter.area_min_mu:g}"))
    if parcel_filter.area_max_mu is not None:
        pairs.append(("area_max", f"{parcel_filter.area_max_mu:g}"))
    if parcel_filter.text:
        pairs.append(("q", parcel_filter.text))
    if parcel_filter.bbox:
        pairs.append(("bbox", ",".join(f"{v:g}" for v in parcel_filter.bbox)))
    return pairs
