"""The dashboard's figures of a land-use, street and status filter from the kept aggregate
(webapp/store/supply_groups.py) equal the per-filter SQL (webapp/store/supply.py) over the same
parcels: a synthetic district in an in-memory SQLite database, NULL streets and ties included."""

import json
import random
import sqlite3

import pytest

from webapp.domain.filters import ParcelFilter
from webapp.store.sql_filter import where_clause
from webapp.store.supply import SupplyDialect, compute_supply
from webapp.store.supply_groups import (
    SupplyGroups,
    answers_from_groups,
    compute_supply_groups,
    summary_from_groups,
)

USES = ("0701", "0901", "0902", "100101", "100102", "1101", "110101", "1401")
STREETS = ("金家庄街道", "塘西街道", "采石街道", None)
STATUSES = ("available", "negotiating", "sold", "reserve")
DIALECT = SupplyDialect("parcels", "changes")


@pytest.fixture(scope="module")
def db():
    rng = random.Random(18)
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE parcels (fid INTEGER PRIMARY KEY, code TEXT, name TEXT, "
                       "land_use TEXT, street TEXT, status TEXT, area_m2 REAL, published INT)")
    connection.execute("CREATE TABLE changes (parcel_id INT, field TEXT, new_value TEXT, "
                       "changed_at TEXT)")
    connection.executemany("INSERT INTO parcels VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        (n, f"P-{n:04d}", f"地块{n}", rng.choice(USES), rng.choice(STREETS),
         rng.choice(STATUSES), rng.choice((5000.0, rng.uniform(100, 90000))),
         int(rng.random() > 0.1)) for n in range(1, 1501)])
    connection.executemany("INSERT INTO changes VALUES (?, ?, ?, ?)", [
        (rng.randint(1, 1500), rng.choice(("status", "status", "name")),
         json.dumps(rng.choice(STATUSES)),
         f"20{rng.randint(14, 26)}-{rng.randint(1, 12):02d}-03T01:00:00Z") for _ in range(3000)])
    yield connection
    connection.close()


def rounded(rows: list[tuple]) -> list[tuple]:
    """Rows with areas to 0.1 mm² (the aggregate adds its groups' sums in another order)."""
    return [(*row[:-1], round(row[-1], 4)) for row in rows]


def run_on(db):
    return lambda sql, params: db.execute(sql, params).fetchall()


@pytest.mark.parametrize("parcel_filter", [
    ParcelFilter(), ParcelFilter(streets=("塘西街道",)), ParcelFilter(land_uses=("10", "11")),
    ParcelFilter(land_uses=("1001", "10")), ParcelFilter(statuses=("available", "sold")),
    ParcelFilter(statuses=("reserve",)), ParcelFilter(land_uses=("09",), streets=("采石街道",
                                                                                  "金家庄街道")),
    ParcelFilter(streets=("不存在的街道",))])
def test_summary_from_groups_equals_the_per_filter_sql(db, parcel_filter):
    groups = compute_supply_groups(DIALECT, run_on(db))
    assert answers_from_groups(parcel_filter)
    got = summary_from_groups(SupplyGroups.from_json(groups.to_json()), parcel_filter)
    expected = compute_supply(parcel_filter, DIALECT, where_clause, run_on(db))
    assert rounded(got.by_land_use) == rounded(expected.by_land_use)
    assert sorted(rounded(got.by_street)) == sorted(rounded(expected.by_street))
    assert got.by_month == expected.by_month
    assert len(got.by_month) > 50 or parcel_filter.streets == ("不存在的街道",)
    assert got.largest == expected.largest


@pytest.mark.parametrize("parcel_filter", [
    ParcelFilter(include_drafts=True), ParcelFilter(area_min_mu=1.0),
    ParcelFilter(area_max_mu=9.0), ParcelFilter(text="P-"), ParcelFilter(bbox=(0, 0, 1, 1))])
def test_filters_cutting_through_groups_are_not_answered_from_them(parcel_filter):
    assert not answers_from_groups(parcel_filter)
