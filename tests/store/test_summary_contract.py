"""What every backend's kept district summaries (bounds, land-use breakdown) must do (run once per
backend): the kept answer is the computed one and every store object shares it, a write makes the
next answer fresh, an import keeps the map page's summaries ready, and the kept answers are
bounded and only for filters worth keeping. Backend-specific parts: test_gpkg_summary.py,
test_postgis_summary.py."""

import sqlite3
from contextlib import closing

import pytest

from tests.store.conftest import prepared_small
from tests.store.postgis_fixtures import with_schema
from webapp.domain.filters import ParcelFilter
from webapp.store import GeoPackageStore
from webapp.store.cache_keys import CacheLimits, filter_key, summary_key
from webapp.store.postgis import PostGISStore
from webapp.store.tables import SUMMARY_CACHE

UNKNOWN_STREET = "不存在的街道"
DISTRICT = ParcelFilter()
PUBLIC = [("bounds", filter_key(DISTRICT)), ("landuse_breakdown", filter_key(DISTRICT)),
          ("matched", filter_key(DISTRICT)), ("supply_groups", filter_key(DISTRICT))]
PARK = ParcelFilter(land_uses=("14",))  # T-004 (1401)


def kept_rows(store) -> list[tuple[str, str, int]]:
    """(name, filter key, bytes of key and value) of every summary the store keeps, sorted."""
    if isinstance(store, GeoPackageStore):
        sql = (f"SELECT name, filter_key, length(CAST(filter_key AS BLOB)) + "
               f"length(CAST(value AS BLOB)) FROM {SUMMARY_CACHE}")
        with closing(sqlite3.connect(store.path)) as db:
            try:
                return sorted(db.execute(sql).fetchall())
            except sqlite3.OperationalError:  # nothing kept yet: the table comes with the first
                return []
    sql = (f"SELECT name, filter_key, octet_length(filter_key) + octet_length(value::text) "
           f"FROM {store.location.table(SUMMARY_CACHE)}")
    with store.database.autocommit() as conn:
        return sorted(conn.execute(sql).fetchall())


def kept(store) -> list[tuple[str, str]]:
    """(name, filter key) of every summary the store keeps, sorted."""
    return [(name, key) for name, key, _ in kept_rows(store)]


def kept_bytes(store) -> int:
    return sum(size for _, _, size in kept_rows(store))


def count_computations(store) -> list[str]:
    """The names of the summaries `store` computes from now on (instead of reading kept ones)."""
    computed: list[str] = []
    summaries = store.summaries
    bounds, breakdown = summaries.compute_bounds, summaries.compute_breakdown
    summaries.compute_bounds = lambda f: computed.append("bounds") or bounds(f)
    summaries.compute_breakdown = lambda f: computed.append("landuse_breakdown") or breakdown(f)
    return computed


@pytest.fixture
def other(store):
    """Another store object on the same parcels, as another server process opens them."""
    if isinstance(store, GeoPackageStore):
        again = GeoPackageStore(store.path)
    else:
        again = PostGISStore(with_schema(store.location.conninfo, store.location.schema))
    yield again
    again.close()


def moved_first_parcel():
    frame = prepared_small().iloc[[0]].copy()
    frame["geometry"] = frame.geometry.translate(xoff=0.5)
    return frame


def test_an_import_keeps_the_public_summaries_ready(store):
    assert kept(store) == PUBLIC


@pytest.mark.parametrize("write", ["reimport", "upsert"])
def test_later_imports_keep_them_ready_and_forget_older_answers(store, write):
    store.bounds(PARK)
    assert kept(store) == sorted([*PUBLIC, ("bounds", filter_key(PARK))])
    if write == "reimport":
        store.replace_all(prepared_small())
    else:
        store.upsert(moved_first_parcel())
    assert kept(store) == PUBLIC


def test_kept_answers_are_the_computed_ones_and_shared_by_other_store_objects(store, other):
    computed = count_computations(other)
    assert other.bounds() == store.summaries.compute_bounds(DISTRICT)
    assert other.landuse_breakdown() == store.summaries.compute_breakdown(DISTRICT)
    assert store.bounds(PARK) == store.summaries.compute_bounds(PARK)
    assert kept(store) == sorted([*PUBLIC, ("bounds", filter_key(PARK))])
    assert other.bounds(PARK) == store.summaries.compute_bounds(PARK)
    assert computed == []  # every answer `other` gave was one `store` kept


def test_an_edit_makes_the_next_answer_fresh(store, other):
    parcel = store.get("T-001")
    before = {s.land_use: s.count for s in other.landuse_breakdown()}
    new_use = next(code for code in ("0701", "0901", "1001") if code != parcel.land_use)
    store.update_parcel(parcel.id, {"land_use": new_use}, parcel.version, "ada", "form")
    after = {s.land_use: s.count for s in other.landuse_breakdown()}
    assert after == {s.land_use: s.count for s in store.summaries.compute_breakdown(DISTRICT)}
    assert after.get(new_use, 0) == before.get(new_use, 0) + 1


def test_unpublishing_changes_the_kept_bounds(store):
    whole = store.bounds()
    for parcel in store.query(DISTRICT).parcels[1:]:
        store.update_parcel(parcel.id, {"published": False}, parcel.version, "ada", "form")
    assert store.bounds() != whole
    assert store.bounds() == store.summaries.compute_bounds(DISTRICT)


def test_an_upsert_and_a_reimport_make_the_next_answer_fresh(store):
    store.bounds()
    store.upsert(moved_first_parcel())
    assert store.bounds() == store.summaries.compute_bounds(DISTRICT)
    store.replace_all(prepared_small().iloc[1:])
    assert store.bounds() == store.summaries.compute_bounds(DISTRICT)
    assert sum(s.count for s in store.landuse_breakdown()) == 3


@pytest.mark.parametrize("parcel_filter", [
    ParcelFilter(text="T-00"), ParcelFilter(bbox=(100.0, 20.0, 130.0, 40.0)),
    ParcelFilter(area_min_mu=1.0), ParcelFilter(area_max_mu=1e6)])
def test_free_text_bbox_and_area_filters_are_answered_fresh(store, parcel_filter):
    before = kept(store)
    assert store.bounds(parcel_filter) == store.summaries.compute_bounds(parcel_filter)
    assert store.landuse_breakdown(parcel_filter) == \
        store.summaries.compute_breakdown(parcel_filter)
    assert kept(store) == before


def test_answers_of_older_generations_are_forgotten_when_new_ones_are_kept(store):
    store.bounds(PARK)
    parcel = store.get("T-001")
    store.update_parcel(parcel.id, {"status": "sold"}, parcel.version, "ada", "form")
    store.bounds()
    assert kept(store) == [("bounds", filter_key(DISTRICT))]


def test_summary_cache_stays_within_its_row_bound(store):
    store.cache_limits = CacheLimits(summary_rows=5)
    counts = []
    for n in range(1, 30):
        store.landuse_breakdown(ParcelFilter(land_uses=(f"{n:02d}",)))
        counts.append(len(kept_rows(store)))
    assert max(counts) <= 5 and counts[-1] > 0


def test_summary_cache_stays_within_its_byte_bound(store):
    store.bounds()
    store.landuse_breakdown()
    base = kept_bytes(store)
    store.cache_limits = CacheLimits(summary_bytes=base + 600)
    totals = []
    for n in range(1, 30):
        store.bounds(ParcelFilter(statuses=(f"s{n}",)))
        totals.append(kept_bytes(store))
    assert max(totals) <= base + 600 and totals[-1] > 0


def test_summary_cache_drops_filtered_views_first(store):
    store.cache_limits = CacheLimits(summary_rows=len(PUBLIC) + 1)
    store.landuse_breakdown()
    for n in range(1, 10):
        store.landuse_breakdown(ParcelFilter(land_uses=(f"{n:02d}",)))
    assert filter_key(DISTRICT) in [key for _, key in kept(store)]


@pytest.mark.parametrize("streets", [(UNKNOWN_STREET,), ("金家庄街道", UNKNOWN_STREET)])
def test_summary_of_an_unknown_street_is_answered_but_not_kept(store, streets):
    parcel_filter = ParcelFilter(streets=streets)
    shares = store.landuse_breakdown(parcel_filter)
    assert store.bounds(parcel_filter) == store.summaries.compute_bounds(parcel_filter)
    assert sum(s.count for s in shares) == (0 if len(streets) == 1 else 2)
    assert summary_key(parcel_filter) not in [key for _, key in kept(store)]


def test_summary_of_a_known_street_is_kept(store):
    parcel_filter = ParcelFilter(streets=("金家庄街道",))
    store.landuse_breakdown(parcel_filter)
    assert summary_key(parcel_filter) in [key for _, key in kept(store)]
