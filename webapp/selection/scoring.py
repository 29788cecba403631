"""The transparent score of a parcel (or a group of adjacent parcels) for a requirement.

Land use, street, status and the area range select the candidates. Every other criterion the
requirement names is one of n scored criteria, each worth up to 1 point:

- area (when both a minimum and a maximum are given): 1 - 0.5 × |area - middle| / half the
  range width, so 1 in the middle of the range and 0.5 at either end;
- starting price (budget_max B, price p): p ≤ B earns 0.5 + 0.5 × (B - p) / B; over budget
  excludes the parcel;
- floor-area ratio: the parcel's permitted range overlaps the wanted one: 1; else excluded;
- lease term: at least lease_min years: 1; shorter: excluded;
- each distance constraint (d metres to the nearest feature of the layer, limit m):
  near: d ≤ m earns 1 - 0.5 × d / m (1 when m = 0); far: d ≥ m earns 0.5 + 0.5 × min(1, (d -
  m) / m); missing a required constraint excludes the parcel, missing a preferred one earns 0.

A value the parcel does not have (no starting price, FAR, lease term, or no feature to measure
to) is unknown: it excludes nothing but earns 0 points, and its reason says so.

score = 100 × (sum of points) / n, one decimal (100 when the requirement names no scored
criterion). Results rank by score, then by parcel code.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from webapp.domain.context import Nearest
from webapp.domain.messages import N_
from webapp.domain.parcel import Parcel
from webapp.selection.reasons import (
    MEETS,
    MISSES,
    UNKNOWN,
    Reason,
    format_amount,
    format_bounds,
    format_distance,
)
from webapp.selection.requirement import DistanceConstraint, Requirement


@dataclass(frozen=True)
class Candidate:
    """What is scored: one parcel or a group of adjacent parcels, with combined figures.

    distances maps a layer name to the nearest feature of the layer (the nearest over the
    members), None when it is unknown (the layer has no features).
    """

    parcels: tuple[Parcel, ...]
    distances: Mapping[str, Nearest | None] = field(default_factory=dict)

    @property
    def area_mu(self) -> float:
        """Area of the parcels together, in 亩."""
        return sum(p.area_mu for p in self.parcels)

    @property
    def price_wan(self) -> float | None:
        """Starting price of the parcels together (万元), None when one is unknown."""
        prices = [p.price_start_wan for p in self.parcels]
        return None if any(p is None for p in prices) else sum(p for p in prices if p is not None)

    @property
    def lease_years(self) -> int | None:
        """The shortest lease term of the parcels, None when one is unknown."""
        years = [p.lease_years for p in self.parcels]
        return None if any(y is None for y in years) else min(y for y in years if y is not None)


@dataclass(frozen=True)
class Verdict:
    """One criterion's reason and, when it excludes the candidate, the key of what it missed
    (price, floor_area_ratio, lease, near:LAYER or far:LAYER)."""

    reason: Reason
    excludes: str | None = None


@dataclass(frozen=True)
class Scored:
    """A candidate with its score (0-100), its reasons and what excluded it (empty: passes)."""

    candidate: Candidate
    score: float
    reasons: tuple[Reason, ...]
    excluded_by: tuple[str, ...] = ()

    @property
    def passes(self) -> bool:
        """Whether it meets every required criterion."""
        return not self.excluded_by


def assess_area(requirement: Requirement, candidate: Candidate) -> Verdict | None:
    """Closeness to the middle of the area range (scored only when both ends are given)."""
    low, high = requirement.area_min_mu, requirement.area_max_mu
    if low is None and high is None:
        return None
    area = candidate.area_mu
    points = None
    if low is not None and high is not None:
        half = (high - low) / 2
        points = 1.0 if half == 0 else max(0.0, 1 - 0.5 * abs(area - (low + high) / 2) / half)
    slack = 1e-9 * max(1.0, area)  # the store compared m², this compares 亩
    inside = (low is None or area >= low - slack) and (high is None or area <= high + slack)
    reason = Reason("area", N_("%(area)s mu, needs %(range)s"),
                    {"area": format_amount(area), "range": format_bounds(low, high)},
                    {"area_mu": round(area, 2), "min_mu": low, "max_mu": high},
                    MEETS if inside else MISSES, points)
    return Verdict(reason, None if inside else "area")


def assess_price(requirement: Requirement, candidate: Candidate) -> Verdict | None:
    """Starting price under the budget: the further under, the more points."""
    budget = requirement.budget_max_wan
    if budget is None:
        return None
    price = candidate.price_wan
    params = {"budget": format_amount(budget)}
    values: dict[str, object] = {"price_wan": price, "budget_wan": budget}
    if price is None:
        return Verdict(Reason("price", N_("starting price unknown (budget %(budget)s 10k "
                                          "yuan)"), params, values, UNKNOWN, 0.0))
    params["price"] = format_amount(price)
    if price > budget:
        return Verdict(Reason("price", N_("starting price %(price)s × 10,000 yuan, over the budget "
                                          "of %(budget)s"), params, values, MISSES, 0.0),
                       "price")
    under = (budget - price) / budget if budget > 0 else 0.0
    params["percent"] = f"{under * 100:.0f}"
    values["under_budget_pct"] = round(under * 100, 1)
    return Verdict(Reason("price", N_("starting price %(price)s × 10,000 yuan, %(percent)s%% under "
                                      "budget"), params, values, MEETS, 0.5 + 0.5 * under))


def _far_outcome(parcel: Parcel, low: float | None, high: float | None) -> str:
    if parcel.far_min is None and parcel.far_max is None:
        return UNKNOWN
    allowed_low = parcel.far_min if parcel.far_min is not None else 0.0
    allowed_high = parcel.far_max if parcel.far_max is not None else float("inf")
    overlaps = (low is None or allowed_high >= low) and (high is None or allowed_low <= high)
    return MEETS if overlaps else MISSES


def assess_far(requirement: Requirement, candidate: Candidate) -> Verdict | None:
    """The permitted floor-area ratio range of every parcel overlaps the wanted one."""
    low, high = requirement.far_min, requirement.far_max
    if low is None and high is None:
        return None
    outcomes = {_far_outcome(p, low, high) for p in candidate.parcels}
    outcome = MISSES if MISSES in outcomes else UNKNOWN if UNKNOWN in outcomes else MEETS
    params = {"needed": format_bounds(low, high),
              "far": ", ".join(format_bounds(p.far_min, p.far_max) for p in candidate.parcels)}
    values = {"far": [[p.far_min, p.far_max] for p in candidate.parcels],
              "far_min": low, "far_max": high}
    message = {MEETS: N_("FAR %(far)s meets %(needed)s"),
               UNKNOWN: N_("FAR unknown (needs %(needed)s)"),
               MISSES: N_("FAR %(far)s does not meet %(needed)s")}[outcome]
    return Verdict(Reason("floor_area_ratio", message, params, values, outcome,
                          1.0 if outcome == MEETS else 0.0),
                   "floor_area_ratio" if outcome == MISSES else None)


def assess_lease(requirement: Requirement, candidate: Candidate) -> Verdict | None:
    """A lease term of at least lease_min years."""
    needed = requirement.lease_min_years
    if needed is None:
        return None
    years = candidate.lease_years
    params = {"needed": format_amount(needed)}
    values = {"lease_years": years, "lease_min_years": needed}
    if years is None:
        return Verdict(Reason("lease", N_("lease term unknown (needs at least %(needed)s "
                                          "years)"), params, values, UNKNOWN, 0.0))
    params["years"] = str(years)
    if years < needed:
        return Verdict(Reason("lease", N_("%(years)s-year lease, shorter than %(needed)s "
                                          "years"), params, values, MISSES, 0.0), "lease")
    return Verdict(Reason("lease", N_("%(years)s-year lease meets at least %(needed)s years"),
                          params, values, MEETS, 1.0))


DISTANCE_MESSAGES = {
    ("near", MEETS): N_("%(distance)s to %(feature)s (within %(limit)s)"),
    ("near", MISSES): N_("%(distance)s to %(feature)s, farther than %(limit)s"),
    ("far", MEETS): N_("%(distance)s from %(feature)s (at least %(limit)s)"),
    ("far", MISSES): N_("%(distance)s from %(feature)s, closer than %(limit)s"),
}
INSIDE_MESSAGE = N_("inside or touching %(feature)s")


def _distance_points(constraint: DistanceConstraint, distance_m: float) -> float:
    limit = constraint.metres
    if constraint.op == "near":
        if distance_m > limit:
            return 0.0
        return 1.0 if limit == 0 else 1 - 0.5 * distance_m / limit
    if distance_m < limit:
        return 0.0
    return 1.0 if limit == 0 else 0.5 + 0.5 * min(1.0, (distance_m - limit) / limit)


def assess_distance(constraint: DistanceConstraint, candidate: Candidate,
                    layer_titles: Mapping[str, str]) -> Verdict:
    """A distance constraint: its reason names the nearest feature (or the layer's title)."""
    title = layer_titles.get(constraint.layer, constraint.layer)
    nearest = candidate.distances.get(constraint.layer)
    values: dict[str, object] = {"layer": constraint.layer, "op": constraint.op,
                                 "limit_m": constraint.metres, "required": constraint.required}
    if nearest is None:
        return Verdict(Reason("distance", N_("distance to %(layer)s unknown (the layer has no "
                                             "features)"), {"layer": title}, values, UNKNOWN,
                              0.0))
    feature = nearest.feature_name or title
    values |= {"distance_m": round(nearest.distance_m, 1), "feature_id": nearest.feature_id,
               "feature": nearest.feature_name}
    points = _distance_points(constraint, nearest.distance_m)
    meets = (nearest.distance_m <= constraint.metres if constraint.op == "near"
             else nearest.distance_m >= constraint.metres)
    outcome = MEETS if meets else MISSES
    message = (INSIDE_MESSAGE if meets and constraint.op == "near" and nearest.distance_m == 0
               else DISTANCE_MESSAGES[(constraint.op, outcome)])
    params = {"distance": format_distance(nearest.distance_m), "feature": feature,
              "limit": format_distance(constraint.metres)}
    excludes = f"{constraint.op}:{constraint.layer}" if not meets and constraint.required else None
    return Verdict(Reason("distance", message, params, values, outcome, points), excludes)


def attribute_verdicts(requirement: Requirement, candidate: Candidate) -> list[Verdict]:
    """The verdicts of the criteria read from the parcels alone (area, price, FAR, lease)."""
    found = (assess(requirement, candidate)
             for assess in (assess_area, assess_price, assess_far, assess_lease))
    return [verdict for verdict in found if verdict is not None]


def score_candidate(requirement: Requirement, candidate: Candidate,
                    layer_titles: Mapping[str, str], extra: tuple[Reason, ...] = ()) -> Scored:
    """Every criterion's verdict on the candidate and the score they add up to; `extra`
    reasons (a group's description) come first and are not scored."""
    verdicts = attribute_verdicts(requirement, candidate) + [
        assess_distance(c, candidate, layer_titles) for c in requirement.constraints]
    scored = [v.reason.points for v in verdicts if v.reason.points is not None]
    score = round(100 * sum(scored) / len(scored), 1) if scored else 100.0
    return Scored(candidate, score, (*extra, *(v.reason for v in verdicts)),
                  tuple(v.excludes for v in verdicts if v.excludes))


def rank(scored: list[Scored]) -> list[Scored]:
    """Passing candidates, best score first, then by the first parcel's code."""
    return sorted((s for s in scored if s.passes),
                  key=lambda s: (-s.score, [p.code for p in s.candidate.parcels]))
