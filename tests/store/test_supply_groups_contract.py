"""The dashboard's supply aggregate on every backend (webapp/store/supply_groups.py): the figures
of each land-use, street and status filter, answered from the one aggregate kept per store
generation, equal a recomputation from the parcels and the audit trail themselves after an
import, an upsert and edits; the aggregate is ready after an import and fresh after an edit; an
index serves its reads."""

import sqlite3
from collections import defaultdict
from contextlib import closing

import pytest

from tests.store.conftest import prepared_small
from webapp.domain.audit import ChangeFilter
from webapp.domain.filters import ParcelFilter
from webapp.store import GeoPackageStore
from webapp.store.cache_keys import filter_key
from webapp.store.postgis.schema import SUPPLY_INDEX
from webapp.store.supply import SupplyDialect, SupplySummary
from webapp.store.supply_groups import group_statements
from webapp.store.tables import PARCEL_CHANGES

FILTERS = [ParcelFilter(), ParcelFilter(streets=("金家庄街道",)),
           ParcelFilter(land_uses=("10", "11")), ParcelFilter(statuses=("available",)),
           ParcelFilter(land_uses=("09", "1001"), streets=("金家庄街道", "塘西街道")),
           ParcelFilter(statuses=("sold", "reserve")), ParcelFilter(streets=("不存在的街道",))]
EDITS = (("T-002", {"status": "available"}), ("T-003", {"status": "available"}),
         ("T-002", {"status": "sold"}), ("T-001", {"land_use": "0901"}),
         ("T-003", {"street": "塘西街道"}), ("T-004", {"status": "available"}),
         ("T-004", {"published": False}))


def comparable(summary: SupplySummary) -> dict:
    """A summary's figures with areas rounded to a micro-m² (sums in another order)."""
    def areas(rows):
        return {(key, status): (count, round(area, 6)) for key, status, count, area in rows}
    return {"by_land_use": areas(summary.by_land_use), "by_street": areas(summary.by_street),
            "by_month": {(month, change): count for month, change, count in summary.by_month},
            "largest": [(*row[:4], round(row[4], 6), row[5]) for row in summary.largest]}


def recomputed(store, parcel_filter: ParcelFilter) -> dict:
    """The filter's figures computed directly from its parcels and the audit trail."""
    parcels = store.query(parcel_filter, limit=None, with_geometry=False).parcels
    by_use, by_street = defaultdict(lambda: [0, 0.0]), defaultdict(lambda: [0, 0.0])
    for p in parcels:
        for totals, key in ((by_use, (p.land_use, p.status)), (by_street, (p.street or "",
                                                                            p.status))):
            totals[key][0] += 1
            totals[key][1] += p.area_m2
    ids = {p.id for p in parcels}
    months: dict[tuple[str, str], int] = defaultdict(int)
    for change in store.changes(ChangeFilter(field="status"), limit=1000).changes:
        if change.parcel_id in ids and change.new_value in ("available", "sold"):
            months[(change.changed_at[:7], change.new_value)] += 1
    largest = sorted((p for p in parcels if p.status == "available"),
                     key=lambda p: (-p.area_m2, p.code))[:10]
    return {"by_land_use": {k: (n, round(a, 6)) for k, (n, a) in by_use.items()},
            "by_street": {k: (n, round(a, 6)) for k, (n, a) in by_street.items()},
            "by_month": dict(months),
            "largest": [(p.code, p.name, p.land_use, p.street, round(p.area_m2, 6), p.id)
                        for p in largest]}


def assert_figures_equal_the_parcels(store):
    for parcel_filter in FILTERS:
        summary = store.summaries.supply(parcel_filter)
        assert comparable(summary) == recomputed(store, parcel_filter), parcel_filter
        assert comparable(summary) == comparable(store.summaries.compute_supply(parcel_filter))


def edit(store, code: str, changes: dict) -> None:
    parcel = store.get(code, include_drafts=True)
    store.update_parcel(parcel.id, changes, parcel.version, "ada", "form")


def count_group_computations(store) -> list[int]:
    computed: list[int] = []
    compute = store.summaries.compute_supply_groups
    store.summaries.compute_supply_groups = lambda: computed.append(1) or compute()
    return computed


def test_supply_figures_equal_the_parcels_after_an_import(store):
    assert_figures_equal_the_parcels(store)


def test_supply_figures_equal_the_parcels_after_edits(store):
    for code, changes in EDITS:
        edit(store, code, changes)
        assert_figures_equal_the_parcels(store)
    assert store.summaries.supply().by_month  # the edits made parcels available and sold


def test_supply_figures_equal_the_parcels_after_an_upsert_and_a_reimport(store):
    edit(store, "T-001", {"status": "sold"})
    frame = prepared_small().iloc[[1]].copy()
    frame["status"] = "available"
    store.upsert(frame)
    assert_figures_equal_the_parcels(store)
    store.replace_all(prepared_small().iloc[1:])
    assert_figures_equal_the_parcels(store)


def test_supply_aggregate_is_ready_after_an_import_and_fresh_after_an_edit(store):
    computed = count_group_computations(store)
    assert ("supply_groups", filter_key(ParcelFilter())) in [
        (name, key) for name, key in kept_names(store)]
    store.summaries.supply(ParcelFilter(streets=("塘西街道",)))
    store.summaries.supply(ParcelFilter(land_uses=("10",)))
    assert computed == []  # kept since the import, one answer for every filter
    edit(store, "T-002", {"status": "sold"})
    assert store.summaries.supply(ParcelFilter(statuses=("sold",))).by_land_use[-1][0] == "110101"
    store.summaries.supply()
    assert computed == [1]


def kept_names(store) -> list[tuple[str, str]]:
    if isinstance(store, GeoPackageStore):
        with closing(sqlite3.connect(store.path)) as db:
            return db.execute("SELECT name, filter_key FROM landgis_summary_cache").fetchall()
    with store.database.autocommit() as conn:
        return conn.execute("SELECT name, filter_key FROM "
                            f"{store.location.table('landgis_summary_cache')}").fetchall()


PLAN_PARAMETERS = {"groups": [], "largest": ["available", "100101", "金家庄街道"],
                   "largest_no_street": ["available", "100101"]}


def plans(store) -> dict[str, str]:
    """The plan of each aggregate statement: SQLite's, PostgreSQL's with sequential scans
    priced out (four rows fit one page)."""
    if isinstance(store, GeoPackageStore):
        statements = group_statements(SupplyDialect("parcels", PARCEL_CHANGES))
        with closing(sqlite3.connect(store.path)) as db:
            return {name: str(db.execute(f"EXPLAIN QUERY PLAN {sql}",
                                         PLAN_PARAMETERS[name]).fetchall())
                    for name, sql in statements.items() if name != "months"}
    statements = group_statements(SupplyDialect(store.parcels, "x", "%s", "id", "%s::jsonb"))
    with store.database.transaction() as conn:
        conn.execute("SET LOCAL enable_seqscan = off")
        return {name: str(conn.execute(f"EXPLAIN {sql}", PLAN_PARAMETERS[name]).fetchall())
                for name, sql in statements.items() if name != "months"}


@pytest.mark.parametrize("name", ["groups", "largest", "largest_no_street"])
def test_supply_reads_come_from_the_supply_index(store, name):
    plan = plans(store)[name]
    if isinstance(store, GeoPackageStore) and name == "groups":  # in index order, no sort
        assert "COVERING INDEX idx_parcels_supply_cover" in plan and "B-TREE" not in plan, plan
    elif isinstance(store, GeoPackageStore):  # in area order (a 10^6 district's statistics
        # take the supply index, a four-parcel store's the selection index: both fit)
        assert "SEARCH parcels USING COVERING INDEX" in plan, plan
        assert "B-TREE FOR ORDER BY" not in plan, plan
    elif name == "groups":
        assert f"Index Only Scan using {SUPPLY_INDEX}" in plan, plan
    else:  # an index search by status and land use (a 10^6 district's statistics read the
        # supply index backwards in area order; four rows, any index and a sort)
        assert "Index Cond: ((published = 1) AND (status = " in plan or \
            "Index Cond: ((status = 'available'::text) AND (land_use = " in plan, plan
        assert "Seq Scan" not in plan, plan
