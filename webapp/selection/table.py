"""Single-parcel candidates as one table (store.attribute_table: no Parcel per row) and the
verdicts of scoring.py computed for all of them at once on plain numbers.

The arithmetic is scoring.py's, element by element in the same order (IEEE float64 gives numpy
and Python the same results), and scores are rounded with Python's round, so a row's score is
exactly the score score_candidate gives its parcel. Reasons and their text are built by
score_candidate only for the results that are read (webapp.selection.ranked).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from webapp.domain.filters import ParcelFilter
from webapp.domain.parcel import Parcel
from webapp.domain.units import M2_PER_MU
from webapp.selection.candidates import Distances
from webapp.selection.requirement import DistanceConstraint, Requirement
from webapp.store.interface import ParcelStore

# What scoring reads and what a shortlist shows of a parcel (its map re-reads the geometry).
TABLE_COLUMNS = ("code", "name", "land_use", "street", "status", "area_m2", "price_start_wan",
                 "far_min", "far_max", "lease_years")
NUMBER_COLUMNS = ("area_m2", "price_start_wan", "far_min", "far_max", "lease_years")


def read_table(store: ParcelStore, parcel_filter: ParcelFilter, cap: int) -> pd.DataFrame | None:
    """The published parcels matching the filter, in id order, numbers as float (NaN when
    unknown), or None when more than cap match (cap + 1 rows are asked for at most)."""
    frame = store.attribute_table(parcel_filter, TABLE_COLUMNS, cap + 1)
    if len(frame) > cap:
        return None
    if not frame["id"].is_monotonic_increasing:
        frame = frame.sort_values("id", kind="stable").reset_index(drop=True)
    frame["id"] = frame["id"].astype(np.int64)
    for name in NUMBER_COLUMNS:
        try:
            frame[name] = frame[name].astype(float)  # None → NaN, numeric text → its number
        except (TypeError, ValueError):
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return frame


def row_reader(frame: pd.DataFrame) -> Callable[[int], dict[str, object]]:
    """A function giving row k of the table as a dict (the columns read once)."""
    columns = {name: frame[name].to_numpy() for name in ("id", *TABLE_COLUMNS)}
    return lambda k: {name: values[k] for name, values in columns.items()}


def _number(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]  # the table's number columns are floats
    return None if np.isnan(number) else number


def _text(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def parcel_of(row: Mapping[str, object]) -> Parcel:
    """The Parcel of a table row (the table's columns; no geometry)."""
    lease = _number(row["lease_years"])
    return Parcel(id=int(row["id"]), code=str(row["code"]),  # type: ignore[call-overload]
                  land_use=str(row["land_use"]), status=str(row["status"]),
                  area_m2=_number(row["area_m2"]) or 0.0, name=_text(row["name"]),
                  street=_text(row["street"]), price_start_wan=_number(row["price_start_wan"]),
                  far_min=_number(row["far_min"]), far_max=_number(row["far_max"]),
                  lease_years=None if lease is None else int(lease))


@dataclass
class Verdicts:
    """Per row: each scored criterion's points (in score_candidate's order) and each
    exclusion (key, mask), in the order score_candidate lists its verdicts."""

    points: list[np.ndarray]
    exclusions: list[tuple[str, np.ndarray]]

    def subset(self, mask: np.ndarray) -> "Verdicts":
        """The verdicts of the rows where mask is true."""
        return Verdicts([p[mask] for p in self.points],
                        [(key, excluded[mask]) for key, excluded in self.exclusions])

    def first_exclusion(self, rows: int) -> np.ndarray:
        """The key of the first criterion that excludes each row ('' when none does)."""
        first = np.full(rows, "", dtype=object)
        for key, mask in reversed(self.exclusions):
            first[mask] = key
        return first

    def scores(self, rows: int) -> list[float]:
        """score_candidate's score of every row (100 when nothing is scored)."""
        if not self.points:
            return [100.0] * rows
        total = self.points[0]
        for points in self.points[1:]:
            total = total + points
        return [round(x, 1) for x in (100 * total / len(self.points)).tolist()]


def table_verdicts(requirement: Requirement, frame: pd.DataFrame) -> Verdicts:
    """The verdicts of area, price, FAR and lease (scoring.assess_*) for every row."""
    found = Verdicts([], [])
    rows = len(frame)
    low, high = requirement.area_min_mu, requirement.area_max_mu
    if low is not None or high is not None:
        area = frame["area_m2"].to_numpy(dtype=float) / M2_PER_MU  # units.m2_to_mu
        if low is not None and high is not None:
            half = (high - low) / 2
            found.points.append(np.ones(rows) if half == 0 else
                                np.maximum(0.0, 1 - 0.5 * np.abs(area - (low + high) / 2) / half))
        slack = 1e-9 * np.maximum(1.0, area)
        inside = np.ones(rows, dtype=bool)
        if low is not None:
            inside &= area >= low - slack
        if high is not None:
            inside &= area <= high + slack
        found.exclusions.append(("area", ~inside))
    budget = requirement.budget_max_wan
    if budget is not None:
        price = frame["price_start_wan"].to_numpy(dtype=float)
        known = ~np.isnan(price)
        over = known & (price > budget)
        under = (budget - price) / budget if budget > 0 else np.zeros(rows)
        found.points.append(np.where(known & ~over, 0.5 + 0.5 * under, 0.0))
        found.exclusions.append(("price", over))
    found_far = far_verdict(requirement, frame)
    if found_far is not None:
        found.points.append(found_far[0])
        found.exclusions.append(("floor_area_ratio", found_far[1]))
    needed = requirement.lease_min_years
    if needed is not None:
        years = frame["lease_years"].to_numpy(dtype=float)
        known = ~np.isnan(years)
        short = known & (years < needed)
        found.points.append(np.where(known & ~short, 1.0, 0.0))
        found.exclusions.append(("lease", short))
    return found


def far_verdict(requirement: Requirement, frame: pd.DataFrame
                ) -> tuple[np.ndarray, np.ndarray] | None:
    """(points, excluded) of the floor-area ratio, None when the requirement names none."""
    low, high = requirement.far_min, requirement.far_max
    if low is None and high is None:
        return None
    far_min = frame["far_min"].to_numpy(dtype=float)
    far_max = frame["far_max"].to_numpy(dtype=float)
    known = ~(np.isnan(far_min) & np.isnan(far_max))
    overlaps = np.ones(len(frame), dtype=bool)
    if low is not None:
        overlaps &= np.where(np.isnan(far_max), np.inf, far_max) >= low
    if high is not None:
        overlaps &= np.where(np.isnan(far_min), 0.0, far_min) <= high
    return np.where(known & overlaps, 1.0, 0.0), known & ~overlaps


def distance_array(distances: Distances, layer: str, ids: np.ndarray) -> np.ndarray:
    """The distance to the layer's nearest feature per parcel id (NaN when unknown)."""
    by_id = distances.get(layer, {})
    return np.array([by_id[i].distance_m if i in by_id else np.nan for i in ids.tolist()],
                    dtype=float)


def distance_verdicts(constraints: tuple[DistanceConstraint, ...], distances: Distances,
                      ids: np.ndarray, found: Verdicts) -> None:
    """Add each constraint's points and exclusion (scoring.assess_distance) to `found`."""
    for constraint in constraints:
        d = distance_array(distances, constraint.layer, ids)
        known = ~np.isnan(d)
        limit = constraint.metres
        with np.errstate(invalid="ignore"):
            if constraint.op == "near":
                meets = known & (d <= limit)
                inside = np.ones(len(d)) if limit == 0 else 1 - 0.5 * d / limit
            else:
                meets = known & (d >= limit)
                inside = (np.ones(len(d)) if limit == 0
                          else 0.5 + 0.5 * np.minimum(1.0, (d - limit) / limit))
        found.points.append(np.where(meets, inside, 0.0))
        if constraint.required:
            found.exclusions.append((f"{constraint.op}:{constraint.layer}", known & ~meets))
