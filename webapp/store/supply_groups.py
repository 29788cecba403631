"""The dashboard's land supply as one aggregate per store generation, and any land-use, street
and status filter's figures answered from it in Python.

Three reads, written once for both backends, make the aggregate (areas in m², months as the UTC
`YYYY-MM` of the audit record): count and area of the published parcels by (land use, street,
status), read in the order of the supply index (published, status, land_use, street, area_m2) so
no row and no sort is needed; status changes to available or sold by (month, change, and the
parcel's land use, street and status); and the ten largest available parcels of each
(land use, street), each an `ORDER BY area_m2 DESC LIMIT 10` read backwards from the same index.
A filter of land uses, streets and statuses selects whole groups, so its figures are exactly the
SQL of webapp.store.supply over the parcels: summary_from_groups adds up its groups' rows.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from webapp.domain.filters import ParcelFilter
from webapp.store.sql_filter import SUBCLASS_DIGITS
from webapp.store.supply import (
    LARGEST_PARCELS,
    MONTH_ROWS,
    STREET_ROWS,
    SUPPLY_STATUSES,
    SupplyDialect,
    SupplySummary,
)

SUPPLY_INDEX_COLUMNS = "(published, status, land_use, street, area_m2)"  # both backends' index
Run = Callable[[str, list], Iterable[Any]]  # a backend's read: rows of (sql, params)


@dataclass(frozen=True)
class SupplyGroups:
    """The published parcels' supply figures by group, kept per store generation.

    groups rows are (land_use, street, status, count, area_m2); months rows are
    (YYYY-MM, 'available' | 'sold', land_use, street, status, count) of status changes, by the
    parcel's current land use, street and status; largest rows are (code, name, land_use,
    street, area_m2, id): the LARGEST_PARCELS largest available parcels of each group.
    """

    groups: list[tuple] = field(default_factory=list)
    months: list[tuple] = field(default_factory=list)
    largest: list[tuple] = field(default_factory=list)

    def to_json(self) -> dict[str, list[list]]:
        """The aggregate as JSON-ready lists."""
        return {name: [list(row) for row in getattr(self, name)]
                for name in ("groups", "months", "largest")}

    @classmethod
    def from_json(cls, value: dict[str, list[list]]) -> "SupplyGroups":
        """The aggregate to_json wrote."""
        return cls(**{name: [tuple(row) for row in rows] for name, rows in value.items()})


def answers_from_groups(parcel_filter: ParcelFilter) -> bool:
    """Whether the filter's figures come from the aggregate: published parcels selected by
    land use, street and status only (area ranges, text and bbox cut through groups)."""
    return (not parcel_filter.include_drafts and parcel_filter.area_min_mu is None
            and parcel_filter.area_max_mu is None and not parcel_filter.text
            and not parcel_filter.bbox)


def group_statements(dialect: SupplyDialect) -> dict[str, str]:
    """The aggregate's SELECTs: groups, months, and the largest of one group (with a street,
    or without one)."""
    p, m, j, id_column = dialect.parcels, dialect.mark, dialect.json_mark, dialect.id_column
    largest = (f"SELECT code, name, land_use, street, area_m2, {id_column} FROM {p} "
               f"WHERE published = 1 AND status = {m} AND land_use = {m} AND street ")
    order = f" ORDER BY area_m2 DESC, code LIMIT {LARGEST_PARCELS}"
    return {
        "groups": f"SELECT land_use, street, status, COUNT(*), SUM(area_m2) FROM {p} "
                  "WHERE published = 1 GROUP BY status, land_use, street",
        # The audit rows drive the join (SQLite keeps a CROSS JOIN's order).
        "months": f"SELECT substr(c.changed_at, 1, 7), CASE WHEN c.new_value = {j} THEN "
                  f"'available' ELSE 'sold' END, p.land_use, p.street, p.status, COUNT(*) "
                  f"FROM {dialect.changes} c CROSS JOIN {p} p "
                  f"WHERE p.{id_column} = c.parcel_id AND c.field = 'status' "
                  f"AND c.new_value IN ({j}, {j}) AND p.published = 1 "
                  "GROUP BY 1, 2, 3, 4, 5",
        "largest": largest + f"= {m}" + order,
        "largest_no_street": largest + "IS NULL" + order,
    }


def compute_supply_groups(dialect: SupplyDialect, run: Run,
                          run_audit: Run | None = None) -> SupplyGroups:
    """The aggregate, each statement run by `run(sql, params)` (run_audit for the audit
    trail's, when it needs its own handling, e.g. a store with no audit table yet)."""
    statements = group_statements(dialect)
    groups = [tuple(row) for row in run(statements["groups"], [])]
    quoted = [f'"{status}"' for status in SUPPLY_STATUSES]  # the audit stores values as JSON
    months = [tuple(row) for row in (run_audit or run)(statements["months"],
                                                        [quoted[0], *quoted])]
    largest: list[tuple] = []
    for land_use, street, status, _count, _area in groups:
        if status != "available":
            continue
        if street is None:
            rows = run(statements["largest_no_street"], ["available", land_use])
        else:
            rows = run(statements["largest"], ["available", land_use, street])
        largest += [tuple(row) for row in rows]
    return SupplyGroups(groups, months, largest)


def group_matcher(parcel_filter: ParcelFilter) -> Callable[[str, str | None, str], bool]:
    """Whether a group (land use, street, status) is the filter's, as sql_filter.where_clause
    selects it: a land-use code covers its sub-classes, a street or status matches exactly
    (a NULL, which a GIS client could write, matches no value)."""
    ranges = [(code, code + SUBCLASS_DIGITS) for code in parcel_filter.land_uses]
    streets, statuses = set(parcel_filter.streets), set(parcel_filter.statuses)
    known: dict[tuple, bool] = {}

    def matches(land_use: str, street: str | None, status: str) -> bool:
        key = (land_use, street, status)
        if key not in known:
            known[key] = ((not ranges or (land_use is not None and any(
                low <= land_use <= high for low, high in ranges)))
                and (not streets or street in streets)
                and (not statuses or status in statuses))
        return known[key]
    return matches


def _nulls_first(key: tuple) -> tuple:
    return tuple((value is not None, value or "") for value in key)


def summary_from_groups(groups: SupplyGroups, parcel_filter: ParcelFilter) -> SupplySummary:
    """The filter's summary (as webapp.store.supply computes it from the parcels), from the
    aggregate; the filter must be one answers_from_groups accepts."""
    matches = group_matcher(parcel_filter)
    by_use: dict[tuple, list] = defaultdict(lambda: [0, 0.0])
    by_street: dict[tuple, list] = defaultdict(lambda: [0, 0.0])
    for land_use, street, status, count, area_m2 in groups.groups:
        if matches(land_use, street, status):
            for totals, key in ((by_use, (land_use, status)), (by_street, (street or "", status))):
                totals[key][0] += count
                totals[key][1] += area_m2 or 0.0
    street_rows = sorted(by_street.items(),
                         key=lambda item: (-item[1][1], _nulls_first(item[0])))
    months: dict[tuple[str, str], int] = defaultdict(int)
    for month, change, land_use, street, status, count in groups.months:
        if matches(land_use, street, status):
            months[(month, change)] += count
    newest = sorted(months.items(), key=lambda item: item[0])  # as ORDER BY 1 DESC, 2:
    newest.sort(key=lambda item: item[0][0], reverse=True)  # month newest first (stable)
    largest = sorted((row for row in groups.largest if matches(row[2], row[3], "available")),
                     key=lambda row: (-row[4], row[0]))
    return SupplySummary(
        by_land_use=[(*key, count, area) for key, (count, area) in
                     sorted(by_use.items(), key=lambda item: _nulls_first(item[0]))],
        by_street=[(*key, count, area) for key, (count, area) in street_rows[:STREET_ROWS]],
        by_month=[(*key, count) for key, count in newest[:MONTH_ROWS]][::-1],  # oldest first
        largest=largest[:LARGEST_PARCELS])

