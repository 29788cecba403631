"""GeoPackage specifics: a real GeoPackage on disk, atomic replacement, spatial index."""

import hashlib
import sqlite3

import pyogrio
import pytest

from webapp.domain.errors import DataFileError
from webapp.store import GeoPackageStore, geopackage
from tests.store.conftest import prepared_small


@pytest.fixture
def gpkg(tmp_path):
    store = GeoPackageStore(tmp_path / "parcels.gpkg")
    store.replace_all(prepared_small())
    return store


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_geopackage_is_readable_by_gdal(gpkg):
    info = pyogrio.read_info(gpkg.path, layer="parcels")
    assert info["features"] == 4 and info["crs"] == "EPSG:4326"


def test_geopackage_keeps_ids_as_fids(gpkg):
    frame = pyogrio.read_dataframe(gpkg.path, fid_as_index=True)
    assert dict(zip(frame["code"], frame.index, strict=True))["T-003"] == 3


def test_geopackage_has_spatial_and_code_indexes(gpkg):
    with sqlite3.connect(gpkg.path) as db:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert {"rtree_parcels_geom", "idx_parcels_code", "idx_parcels_land_use"} <= names


def test_geopackage_failed_write_leaves_old_store_untouched(gpkg, monkeypatch):
    before = digest(gpkg.path)

    def fail(path, expected_count):
        raise DataFileError("simulated failure after writing")

    monkeypatch.setattr(geopackage, "verify_parcel_layer", fail)
    with pytest.raises(DataFileError):
        gpkg.replace_all(prepared_small().iloc[:1])
    assert digest(gpkg.path) == before
    assert gpkg.count() == 4


def test_geopackage_failed_write_leaves_no_temporary_file(gpkg, monkeypatch):
    monkeypatch.setattr(geopackage, "verify_parcel_layer",
                        lambda path, expected_count: (_ for _ in ()).throw(DataFileError("x")))
    with pytest.raises(DataFileError):
        gpkg.replace_all(prepared_small())
    assert [p.name for p in gpkg.path.parent.iterdir()] == ["parcels.gpkg"]


def test_geopackage_verify_rejects_missing_rows(gpkg):
    with pytest.raises(DataFileError, match="expected 5"):
        geopackage.verify_parcel_layer(gpkg.path, expected_count=5)
