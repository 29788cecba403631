"""District summaries kept in the GeoPackage file: reused until a parcel changes, never stale."""

import sqlite3
from contextlib import closing

from tests.store.conftest import prepared_small
from webapp.domain.filters import ParcelFilter
from webapp.store import GeoPackageStore
from webapp.store.tables import SUMMARY_CACHE


def kept_summaries(store):
    with closing(sqlite3.connect(store.path)) as db:
        found = db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (SUMMARY_CACHE,))
        if not found.fetchone():
            return []
        return sorted(r[0] for r in db.execute(f"SELECT name FROM {SUMMARY_CACHE}"))


def test_bounds_and_breakdown_are_kept_and_shared_by_other_store_objects(gpkg):
    bounds, shares = gpkg.bounds(), gpkg.landuse_breakdown()
    assert kept_summaries(gpkg) == ["bounds", "landuse_breakdown"]
    other = GeoPackageStore(gpkg.path)  # e.g. another server process
    assert other.bounds() == bounds
    assert other.landuse_breakdown() == shares
    # the kept answer is the computed one
    assert other.summaries.compute_bounds(ParcelFilter()) == bounds


def test_an_edit_makes_the_next_answer_fresh(gpkg):
    parcel = gpkg.get("T-001")
    before = {s.land_use: s.count for s in gpkg.landuse_breakdown()}
    new_use = next(code for code in ("0701", "0901", "1001") if code != parcel.land_use)
    gpkg.update_parcel(parcel.id, {"land_use": new_use}, parcel.version, "ada", "form")
    after = {s.land_use: s.count for s in GeoPackageStore(gpkg.path).landuse_breakdown()}
    assert after == {s.land_use: s.count for s in gpkg.summaries.compute_breakdown(ParcelFilter())}
    assert after.get(new_use, 0) == before.get(new_use, 0) + 1


def test_unpublishing_changes_the_kept_bounds(gpkg):
    whole = gpkg.bounds()
    for parcel in gpkg.query(ParcelFilter()).parcels[1:]:
        gpkg.update_parcel(parcel.id, {"published": False}, parcel.version, "ada", "form")
    assert gpkg.bounds() != whole
    assert gpkg.bounds() == gpkg.summaries.compute_bounds(ParcelFilter())


def test_an_import_keeps_the_public_summaries_ready(gpkg):
    with closing(sqlite3.connect(gpkg.path)) as db, db:
        db.execute(f"DELETE FROM {SUMMARY_CACHE}")
    gpkg.replace_all(prepared_small())
    assert kept_summaries(gpkg) == ["bounds", "landuse_breakdown"]


def test_text_and_bbox_filters_are_answered_fresh(gpkg):
    kept = kept_summaries(gpkg)
    gpkg.bounds(ParcelFilter(text="T-00"))
    gpkg.landuse_breakdown(ParcelFilter(bbox=(100.0, 20.0, 130.0, 40.0)))
    assert kept_summaries(gpkg) == kept
