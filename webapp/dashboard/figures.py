"""The dashboard's figures from a store's supply summary (no Flask): areas in 亩 by first-level
land-use class, street and status, status changes per month and the largest available parcels."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import STATUSES
from webapp.domain.units import m2_to_mu
from webapp.store.supply import SupplySummary

SHOWN_STATUSES = ("available", "negotiating", "sold")  # the class and street tables' columns
MONTHS_SHOWN = 24  # the supply-over-time chart and table: the last two years with changes


@dataclass(frozen=True)
class AreaRow:
    """One class or street: its label, and area in 亩 and parcel count by status."""

    key: str
    label: str
    area_mu: dict[str, float]
    count: dict[str, int]

    @property
    def total_mu(self) -> float:
        """The area of the shown statuses, in 亩."""
        return sum(self.area_mu.get(status, 0.0) for status in SHOWN_STATUSES)


@dataclass(frozen=True)
class MonthRow:
    """Status changes to available and to sold in one month (YYYY-MM, UTC)."""

    month: str
    available: int = 0
    sold: int = 0


@dataclass(frozen=True)
class LargestRow:
    """One of the largest available parcels."""

    code: str
    name: str | None
    land_use: str
    street: str | None
    area_mu: float
    parcel_id: int


@dataclass(frozen=True)
class DashboardFigures:
    """Everything the dashboard page and its CSV show of the land supply."""

    by_class: list[AreaRow] = field(default_factory=list)
    by_street: list[AreaRow] = field(default_factory=list)
    by_status: list[AreaRow] = field(default_factory=list)
    by_month: list[MonthRow] = field(default_factory=list)
    largest: list[LargestRow] = field(default_factory=list)


def _area_rows(rows: list[tuple], key_of, label_of) -> list[AreaRow]:
    areas: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, status, count, area_m2 in rows:
        group = key_of(key)
        areas[group][status] += m2_to_mu(area_m2 or 0.0)
        counts[group][status] += int(count)
    made = [AreaRow(group, label_of(group), dict(areas[group]), dict(counts[group]))
            for group in areas]
    return sorted((row for row in made if any(row.count.get(s) for s in SHOWN_STATUSES)),
                  key=lambda row: (-row.total_mu, row.key))


def _status_rows(rows: list[tuple], status_names: Mapping[str, str]) -> list[AreaRow]:
    areas: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for _key, status, count, area_m2 in rows:
        areas[status] += m2_to_mu(area_m2 or 0.0)
        counts[status] += int(count)
    return [AreaRow(status, status_names.get(status, status), {status: areas[status]},
                    {status: counts[status]}) for status in STATUSES if status in counts]


def _month_rows(rows: list[tuple]) -> list[MonthRow]:
    months: dict[str, dict[str, int]] = defaultdict(dict)
    for month, status, count in rows:
        months[month][status] = int(count)
    return [MonthRow(month, values.get("available", 0), values.get("sold", 0))
            for month, values in sorted(months.items())][-MONTHS_SHOWN:]


def dashboard_figures(summary: SupplySummary, table: LandUseTable, language: str,
                      status_names: Mapping[str, str], not_given: str) -> DashboardFigures:
    """The figures of a summary, names in `language` (not_given: the label of parcels
    without a land use or street)."""
    def class_of(code: str | None) -> str:
        top = table.top_level(code) if code else None
        return top.code if top else (code or "")[:2]

    def class_label(code: str) -> str:
        return f"{code} {table.name(code, language)}" if code else not_given

    return DashboardFigures(
        by_class=_area_rows(summary.by_land_use, class_of, class_label),
        by_street=_area_rows(summary.by_street, lambda s: s or "",
                             lambda s: s or not_given),
        by_status=_status_rows(summary.by_land_use, status_names),
        by_month=_month_rows(summary.by_month),
        largest=[LargestRow(code, name, table.name(land_use, language), street,
                            m2_to_mu(area_m2 or 0.0), int(parcel_id))
                 for code, name, land_use, street, area_m2, parcel_id in summary.largest],
    )
