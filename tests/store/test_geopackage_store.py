"""GeoPackage specifics: a real GeoPackage on disk, atomic replacement, spatial index."""

import sqlite3

import numpy as np
import pyogrio
import pytest

from tests.store.conftest import prepared_small
from webapp.domain.errors import DataFileError
from webapp.domain.filters import ParcelFilter
from webapp.store import GeoPackageStore
from webapp.store.geopackage import file as store_file
from webapp.store.geopackage import store as geopackage
from webapp.store.geopackage.file import check_parcel_counts


@pytest.fixture
def gpkg(tmp_path):
    store = GeoPackageStore(tmp_path / "parcels.gpkg")
    store.replace_all(prepared_small())
    return store


def test_geopackage_is_readable_by_gdal(gpkg):
    info = pyogrio.read_info(gpkg.path, layer="parcels")
    assert info["features"] == 4 and info["crs"] == "EPSG:4326"


def test_geopackage_keeps_ids_as_fids(gpkg):
    frame = pyogrio.read_dataframe(gpkg.path, layer="parcels", fid_as_index=True)
    assert dict(zip(frame["code"], frame.index, strict=True))["T-003"] == 3


def test_geopackage_has_spatial_and_code_indexes(gpkg):
    with sqlite3.connect(gpkg.path) as db:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert {"rtree_parcels_geom", "idx_parcels_code", "idx_parcels_land_use"} <= names


def test_geopackage_failed_replace_keeps_every_old_parcel(gpkg, monkeypatch):
    before = [(p.code, p.area_m2) for p in gpkg.query(ParcelFilter()).parcels]

    def fail(db, expected, name):
        raise DataFileError("simulated failure after writing")

    monkeypatch.setattr(geopackage, "check_parcel_counts", fail)
    with pytest.raises(DataFileError):
        gpkg.replace_all(prepared_small().iloc[:1])
    assert [(p.code, p.area_m2) for p in gpkg.query(ParcelFilter()).parcels] == before


def test_geopackage_failed_creation_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(store_file, "check_parcel_counts",
                        lambda db, expected, name: (_ for _ in ()).throw(DataFileError("x")))
    store = GeoPackageStore(tmp_path / "new.gpkg")
    with pytest.raises(DataFileError):
        store.replace_all(prepared_small())
    assert list(tmp_path.iterdir()) == []


def test_geopackage_replace_keeps_spatial_index_in_step(gpkg):
    gpkg.replace_all(prepared_small().iloc[1:3])
    with sqlite3.connect(gpkg.path) as db:
        assert db.execute("SELECT COUNT(*) FROM rtree_parcels_geom").fetchone()[0] == 2
    assert [p.code for p in gpkg.query(ParcelFilter(bbox=(118.49, 31.69, 118.52, 31.72))).parcels
            ] == ["T-002", "T-003"]


def test_geopackage_replaced_store_is_still_valid_for_gdal(gpkg):
    gpkg.replace_all(prepared_small().iloc[:3])
    frame = pyogrio.read_dataframe(gpkg.path, layer="parcels")
    assert len(frame) == 3 and frame.geometry.is_valid.all()
    assert pyogrio.read_info(gpkg.path, layer="parcels")["features"] == 3


def schema_of_parcels(store):
    with sqlite3.connect(store.path) as db:
        return sorted(db.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = "
                                 "'parcels' AND type IN ('trigger', 'index')").fetchall())


def test_geopackage_replace_restores_every_trigger_and_index(gpkg):
    before = schema_of_parcels(gpkg)
    gpkg.replace_all(prepared_small().iloc[1:])
    assert schema_of_parcels(gpkg) == before
    with sqlite3.connect(gpkg.path) as db:
        assert db.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = "
                          "'parcels'").fetchone()[0] == 3


def test_geopackage_failed_replace_keeps_its_triggers(gpkg, monkeypatch):
    before = schema_of_parcels(gpkg)
    monkeypatch.setattr(geopackage, "check_parcel_counts",
                        lambda db, expected, name: (_ for _ in ()).throw(DataFileError("x")))
    with pytest.raises(DataFileError):
        gpkg.replace_all(prepared_small().iloc[:1])
    assert schema_of_parcels(gpkg) == before


def test_geopackage_spatial_index_follows_a_moved_parcel_after_a_replace(gpkg):
    gpkg.replace_all(prepared_small())
    moved = prepared_small().iloc[[0]].copy()
    moved["geometry"] = moved.geometry.translate(0.5, 0.0)  # the triggers are back at work
    gpkg.upsert(moved)
    box = moved.geometry.iloc[0].bounds
    assert [p.code for p in gpkg.query(ParcelFilter(bbox=box)).parcels] == ["T-001"]


def test_geopackage_uses_write_ahead_log(gpkg):
    with sqlite3.connect(gpkg.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_geopackage_count_check_rejects_missing_rows(gpkg):
    with sqlite3.connect(gpkg.path) as db, pytest.raises(DataFileError, match="expected 5"):
        check_parcel_counts(db, 5, gpkg.path.name)


@pytest.mark.parametrize("threshold", [0, 10_000])
def test_geopackage_first_page_same_whichever_plan(gpkg, monkeypatch, threshold):
    monkeypatch.setattr(geopackage, "SCAN_IN_CODE_ORDER_ABOVE", threshold)
    page = gpkg.query(ParcelFilter(land_uses=("1001", "1101", "1401")), limit=2, offset=1)
    assert [p.code for p in page.parcels] == ["T-002", "T-004"]
    assert page.number_matched == 3


def test_geopackage_land_use_filter_is_served_by_covering_index(gpkg):
    gpkg.ensure_schema()
    with sqlite3.connect(gpkg.path) as db:
        plan = db.execute("EXPLAIN QUERY PLAN SELECT COUNT(*), SUM(area_m2) FROM parcels "
                          "WHERE published = 1 AND land_use BETWEEN '1001' AND '100199999999'"
                          ).fetchall()
    assert "COVERING INDEX idx_parcels_land_use_cover" in str(plan)


def rtree_rows(store):
    with sqlite3.connect(store.path) as db:
        return sorted(db.execute("SELECT id, minx, maxx, miny, maxy FROM rtree_parcels_geom"))


def test_geopackage_replace_in_any_row_order_indexes_every_parcel_exactly(gpkg):
    expected = rtree_rows(gpkg)  # written by GDAL
    gpkg.replace_all(prepared_small().sample(frac=1.0, random_state=3))
    assert rtree_rows(gpkg) == expected
    with sqlite3.connect(gpkg.path) as db:
        declared = db.execute("SELECT sql FROM sqlite_master WHERE name = 'rtree_parcels_geom'")
        assert "USING rtree" in declared.fetchone()[0]


def test_geopackage_failed_replace_keeps_the_old_spatial_index(gpkg, monkeypatch):
    before = rtree_rows(gpkg)
    monkeypatch.setattr(geopackage, "check_parcel_counts",
                        lambda db, expected, name: (_ for _ in ()).throw(DataFileError("x")))
    with pytest.raises(DataFileError):
        gpkg.replace_all(prepared_small().iloc[:1])
    assert rtree_rows(gpkg) == before
    assert len(gpkg.query(ParcelFilter(bbox=(118.0, 31.0, 119.0, 32.0))).parcels) == 4


def test_geopackage_open_readers_see_the_new_spatial_index_after_a_replace(gpkg):
    reader = GeoPackageStore(gpkg.path)  # e.g. a server process with its connection open
    box = ParcelFilter(bbox=(118.0, 31.0, 119.0, 32.0))
    assert len(reader.query(box).parcels) == 4
    gpkg.replace_all(prepared_small().iloc[1:3])
    assert [p.code for p in reader.query(box).parcels] == ["T-002", "T-003"]


def test_z_order_keeps_neighbours_together():
    from webapp.store.geopackage.bulk import z_order

    x = np.array([0.0, 10.0, 0.0, 10.0, 0.1])
    y = np.array([0.0, 0.0, 10.0, 10.0, 0.1])
    codes = z_order(x, y)
    assert list(np.argsort(codes, kind="stable")) == [0, 4, 1, 2, 3]
    assert z_order(np.array([5.0]), np.array([5.0])).tolist() == [0]  # one point: no extent
