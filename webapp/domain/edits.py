"""What staff may change on a parcel and the one parser that checks submitted values (no Flask).

Form fields arrive as text, API properties as JSON values; both go through parse_parcel_changes,
so the same value gets the same answer either way.
"""

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from webapp.domain.audit import utc_now_iso
from webapp.domain.errors import ConflictError, InvalidEditError, NotFoundError
from webapp.domain.landuse import LandUseTable
from webapp.domain.messages import N_
from webapp.domain.parcel import (
    ATTRIBUTE_TYPES,
    RANGES,
    REQUIRED_ATTRIBUTES,
    STATUSES,
    SUPPLY_METHODS,
    Parcel,
)
from webapp.domain.parcel_schema import EDITABLE_FIELDS
from webapp.domain.stored_text import NUL_MESSAGE, holds_nul

READ_ONLY_FIELDS = ("id", "area_m2", "version", "updated_at", "land_use_source", "extra",
                    "geometry")
TEXT_LIMITS = {"code": 40, "name": 100, "street": 100, "location": 200, "contact": 200,
               "note": 2000}
PERCENT_FIELDS = ("density_min_pct", "density_max_pct", "green_min_pct", "green_max_pct")
LEASE_YEARS = (1, 70)  # 70 years is the longest term for state land use rights (residential)
CHOICES = {"status": STATUSES, "supply_method": SUPPLY_METHODS}

Problem = tuple[str, dict[str, object]]


class _FieldError(Exception):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.problem: Problem = (message, params)


def _text(name: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _FieldError(N_("must be text"))
    text = value.strip()
    if holds_nul(text):
        raise _FieldError(NUL_MESSAGE)
    if len(text) > TEXT_LIMITS.get(name, 200):
        raise _FieldError(N_("is longer than %(limit)s characters"),
                          limit=TEXT_LIMITS.get(name, 200))
    return text or None


def _number(name: str, value: object) -> float | None:
    if isinstance(value, bool):
        raise _FieldError(N_("“%(value)s” is not a number"), value=str(value).lower())
    if isinstance(value, str):
        value = value.strip().replace(",", "")
        if not value:
            return None
        try:
            value = float(value)
        except ValueError:
            raise _FieldError(N_("“%(value)s” is not a number"), value=value) from None
    if value is None:
        return None
    if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise _FieldError(N_("must be a number ≥ %(minimum)s"), minimum=0)
    if name in PERCENT_FIELDS and value > 100:
        raise _FieldError(N_("must be at most %(maximum)s"), maximum=100)
    return float(value)


def _whole_number(value: object) -> int | None:
    number = _number("lease_years", value)
    if number is None:
        return None
    low, high = LEASE_YEARS
    if number != int(number) or not low <= number <= high:
        raise _FieldError(N_("must be a whole number from %(minimum)s to %(maximum)s"),
                       minimum=low, maximum=high)
    return int(number)


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise _FieldError(N_("must be true or false"))


def _choice(name: str, value: str | None, table: LandUseTable) -> str | None:
    if value is None:
        return None
    if name == "land_use" and value not in table:
        raise _FieldError(N_("unknown land-use code “%(code)s”"), code=value)
    if name in CHOICES and value not in CHOICES[name]:
        raise _FieldError(N_("unknown value “%(value)s”; use one of %(allowed)s"), value=value,
                       allowed=", ".join(CHOICES[name]))
    return value


def parse_value(name: str, value: object, table: LandUseTable) -> object:
    """One field's value, typed; raises InvalidEditError naming the field."""
    try:
        if name not in EDITABLE_FIELDS:
            raise _FieldError(N_("is computed and cannot be edited") if name in READ_ONLY_FIELDS
                           else N_("unknown attribute"))
        if name == "published":
            return _flag(value)
        kind = ATTRIBUTE_TYPES[name]
        if kind is int:
            return _whole_number(value)
        if kind is float:
            return _number(name, value)
        parsed = _choice(name, _text(name, value), table)
        if parsed is None and name in REQUIRED_ATTRIBUTES:
            raise _FieldError(N_("is required"))
        return parsed
    except _FieldError as invalid:
        raise InvalidEditError({name: invalid.problem}) from None


def parse_parcel_changes(values: Mapping[str, object], table: LandUseTable) -> dict[str, object]:
    """Typed values for the given fields; every bad field is reported at once."""
    parsed, problems = {}, {}
    for name, value in values.items():
        try:
            parsed[name] = parse_value(name, value, table)
        except InvalidEditError as error:
            problems.update(error.fields)
    if problems:
        raise InvalidEditError(problems)
    return parsed


def check_ranges(merged: Mapping[str, object]) -> None:
    """Refuse planning ranges whose minimum is above the maximum (both fields are reported)."""
    problems: dict[str, Problem] = {}
    for low, high in RANGES:
        low_value, high_value = merged.get(low), merged.get(high)
        if isinstance(low_value, int | float) and isinstance(high_value, int | float) \
                and low_value > high_value:
            problems[low] = (N_("the minimum is larger than the maximum"), {})
            problems[high] = (N_("the maximum is smaller than the minimum"), {})
    if problems:
        raise InvalidEditError(problems)


def values_differ(old: object, new: object) -> bool:
    """Whether an import changed a stored value (floats within a relative 1e-6 count as equal:
    an area recomputed from the same polygon is not a change)."""
    if isinstance(old, float) and isinstance(new, float):
        return abs(old - new) > 1e-6 * max(1.0, abs(old))
    return old != new


def changed_values(current: object, changes: Mapping[str, object]) -> dict[str, object]:
    """Only the changes that differ from the record's current values."""
    return {name: value for name, value in changes.items() if getattr(current, name) != value}


def check_editable(changes: Mapping[str, object]) -> None:
    """Refuse (ValueError) fields that no edit may set, such as the computed area."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")


def next_version(current: Parcel | None, parcel_id: int, changes: Mapping[str, object],
                 expected_version: int | None) -> tuple[Parcel, dict[str, object]]:
    """The parcel after a versioned edit and the fields that really change (every backend).

    NotFoundError for a missing parcel; ConflictError (carrying the current parcel) when it is
    no longer at expected_version (None skips the check). No change gives the same parcel.
    """
    if current is None:
        raise NotFoundError(f"parcel {parcel_id} does not exist")
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(f"parcel {parcel_id} is at version {current.version}, "
                            f"not {expected_version}", current=current)
    diff = changed_values(current, changes)
    if not diff:
        return current, diff
    changed: dict[str, Any] = {**diff, "version": current.version + 1, "updated_at": utc_now_iso()}
    return replace(current, **changed), diff
