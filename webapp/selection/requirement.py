"""Requirement: what an investor asks for, parsed from the URL and written back canonically.

URL format (shared by /select, /api/select and the tests): `land_use` (repeatable or a comma
list; a code matches its sub-classes), `area_min`/`area_max` (亩), `budget_max` (万元, the
starting price), `far_min`/`far_max`, `lease_min` (years), `street` (repeatable), `status`
(default available) and distance constraints `near=LAYER:METRES` (a feature of the layer within
METRES) and `far=LAYER:METRES` (every feature at least METRES away), each optionally suffixed
`:preferred` (default `:required`). `near=LAYER:0` means inside or touching.
"""

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from webapp.domain.context import LAYER_NAME
from webapp.domain.errors import InvalidParameterError
from webapp.domain.filters import (
    MAX_TEXT_LENGTH,
    ParcelFilter,
    parse_land_uses,
    parse_number,
    parse_statuses,
)
from webapp.domain.landuse import LandUseTable
from webapp.domain.messages import N_

MAX_CONSTRAINTS = 5
MAX_DISTANCE_M = 100_000.0  # 100 km: farther is no site-selection question
MAX_STREETS = 20
OPERATORS = ("near", "far")
DEFAULT_STATUSES = ("available",)
NUMBER_PARAMETERS = ("area_min", "area_max", "budget_max", "far_min", "far_max", "lease_min")
REQUIREMENT_PARAMETERS = ("land_use", *NUMBER_PARAMETERS, "street", "status", *OPERATORS)


@dataclass(frozen=True)
class DistanceConstraint:
    """A distance to the features of a context layer, in metres on the ground.

    op "near": some feature lies within `metres` (0: inside or touching); "far": every feature
    lies at least `metres` away. A required constraint filters; a preferred one adds points.
    """

    layer: str
    op: str
    metres: float
    required: bool = True

    def query_value(self) -> str:
        """The constraint as its URL value, e.g. 'interchanges:3000:preferred'."""
        return f"{self.layer}:{number_text(self.metres)}" + ("" if self.required
                                                             else ":preferred")


@dataclass(frozen=True)
class Requirement:
    """An investor's requirement; areas in 亩, budget in 万元 (starting price), lease in years."""

    land_uses: tuple[str, ...] = ()
    area_min_mu: float | None = None
    area_max_mu: float | None = None
    budget_max_wan: float | None = None
    far_min: float | None = None
    far_max: float | None = None
    lease_min_years: float | None = None
    streets: tuple[str, ...] = ()
    statuses: tuple[str, ...] = DEFAULT_STATUSES
    constraints: tuple[DistanceConstraint, ...] = ()

    def parcel_filter(self) -> ParcelFilter:
        """The attribute part the store can answer: land uses, streets, statuses, area."""
        return ParcelFilter(land_uses=self.land_uses, streets=self.streets,
                            statuses=self.statuses, area_min_mu=self.area_min_mu,
                            area_max_mu=self.area_max_mu)

    def to_query(self) -> list[tuple[str, str]]:
        """The canonical query-string pairs that parse back into this requirement."""
        pairs = [("land_use", code) for code in self.land_uses]
        for name, value in zip(NUMBER_PARAMETERS, self.numbers(), strict=True):
            if value is not None:
                pairs.append((name, number_text(value)))
        pairs += [("street", street) for street in self.streets]
        if self.statuses != DEFAULT_STATUSES:
            pairs += [("status", status) for status in self.statuses]
        pairs += [(c.op, c.query_value()) for c in self.constraints]
        return pairs

    def numbers(self) -> tuple[float | None, ...]:
        """The numeric values in NUMBER_PARAMETERS order."""
        return (self.area_min_mu, self.area_max_mu, self.budget_max_wan, self.far_min,
                self.far_max, self.lease_min_years)


def number_text(value: float) -> str:
    """A number as it reads back exactly: '60', '1.2', '0.1' (no exponent for whole numbers)."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def parse_optional_number(name: str, values: list[str]) -> float | None:
    """One number ≥ 0 (blank values are left out), None when absent; given twice is an error."""
    given = [v.strip() for v in values if v.strip()]
    if len(given) > 1:
        raise InvalidParameterError(name, N_("given more than once"))
    return parse_number(name, given[0]) if given else None


def parse_streets(values: list[str]) -> tuple[str, ...]:
    """Street names (repeated or comma-separated), at most MAX_STREETS of MAX_TEXT_LENGTH."""
    streets = tuple(dict.fromkeys(_split(values)))
    if len(streets) > MAX_STREETS or any(len(s) > MAX_TEXT_LENGTH for s in streets):
        raise InvalidParameterError("street", N_("at most %(count)s streets of at most "
                                                 "%(length)s characters each"),
                                    count=MAX_STREETS, length=MAX_TEXT_LENGTH)
    return streets


def parse_constraint(op: str, text: str) -> DistanceConstraint:
    """'LAYER:METRES' or 'LAYER:METRES:preferred' (or ':required') of a near or far value."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or not LAYER_NAME.match(parts[0]):
        raise InvalidParameterError(op, N_("“%(value)s” is not LAYER:METRES or "
                                           "LAYER:METRES:preferred"), value=text)
    metres = parse_number(op, parts[1].strip())
    if metres > MAX_DISTANCE_M:
        raise InvalidParameterError(op, N_("at most %(maximum)s metres"),
                                    maximum=number_text(MAX_DISTANCE_M))
    kind = parts[2].strip() if len(parts) == 3 else "required"
    if kind not in ("required", "preferred"):
        raise InvalidParameterError(op, N_("“%(value)s” must end in :required or :preferred"),
                                    value=text)
    return DistanceConstraint(parts[0], op, metres, kind == "required")


def constraint_parser(op: str) -> Callable[[list[str]], tuple[DistanceConstraint, ...]]:
    """The parser of the near or far parameter (repeated or comma-separated values)."""
    def parse(values: list[str]) -> tuple[DistanceConstraint, ...]:
        return tuple(dict.fromkeys(parse_constraint(op, v) for v in _split(values)))
    return parse


def number_parser(name: str) -> Callable[[list[str]], float | None]:
    """The parser of one numeric parameter (area_min, budget_max, ...)."""
    return lambda values: parse_optional_number(name, values)


def requirement_parsers(table: LandUseTable) -> dict[str, Callable[[list[str]], Any]]:
    """One parser per requirement parameter, each taking every value the URL gives it."""
    parsers: dict[str, Callable[[list[str]], Any]] = {
        "land_use": lambda values: parse_land_uses(values, table),
        "street": parse_streets,
        "status": parse_statuses,
        "near": constraint_parser("near"),
        "far": constraint_parser("far"),
    }
    for name in NUMBER_PARAMETERS:
        parsers[name] = number_parser(name)
    return parsers


def _check_range(low_name: str, low: float | None, high: float | None) -> None:
    if low is not None and high is not None and low > high:
        raise InvalidParameterError(low_name, N_("the minimum is larger than the maximum"))


def build_requirement(values: Mapping[str, Any], layer_names: Collection[str]) -> Requirement:
    """A Requirement from parsed parameter values (missing ones are absent), checked together:
    ranges in order, at most MAX_CONSTRAINTS distance constraints, on known layers only."""
    _check_range("area_min", values.get("area_min"), values.get("area_max"))
    _check_range("far_min", values.get("far_min"), values.get("far_max"))
    constraints = (*(values.get("near") or ()), *(values.get("far") or ()))
    if len(constraints) > MAX_CONSTRAINTS:
        raise InvalidParameterError(constraints[-1].op, N_("at most %(maximum)s distance "
                                                           "constraints"),
                                    maximum=MAX_CONSTRAINTS)
    for constraint in constraints:
        if constraint.layer not in layer_names:
            raise InvalidParameterError(
                constraint.op, N_("unknown context layer “%(layer)s”; known: %(known)s"),
                layer=constraint.layer, known=", ".join(sorted(layer_names)) or "—")
    return Requirement(
        land_uses=tuple(values.get("land_use") or ()),
        area_min_mu=values.get("area_min"), area_max_mu=values.get("area_max"),
        budget_max_wan=values.get("budget_max"),
        far_min=values.get("far_min"), far_max=values.get("far_max"),
        lease_min_years=values.get("lease_min"),
        streets=tuple(values.get("street") or ()),
        statuses=tuple(values.get("status") or ()) or DEFAULT_STATUSES,
        constraints=constraints,
    )


def parse_requirement(get_list: Callable[[str], list[str]], table: LandUseTable,
                      layer_names: Collection[str]) -> Requirement:
    """A Requirement from query values (`get_list(name)` gives every value of a name); other
    parameters are not looked at. InvalidParameterError names the offending parameter."""
    parsed = {name: parse(get_list(name)) for name, parse in requirement_parsers(table).items()}
    return build_requirement(parsed, layer_names)

