"""GeoPackage specifics of the staff tables: same file, one transaction, hidden from GIS clients."""

import warnings

import pyogrio
import pytest

from tests.store.conftest import prepared_small
from webapp.domain.audit import ChangeFilter
from webapp.store.geopackage import edits as gpkg_edits


def test_geopackage_staff_tables_are_not_listed_as_layers(gpkg):
    # the parcels and the context layers' features are map layers; staff data is not
    assert [name for name, _kind in pyogrio.list_layers(gpkg.path)] == [
        "parcels", "context_features"]


def test_geopackage_with_staff_tables_reads_without_layer_warning(gpkg):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(pyogrio.read_dataframe(gpkg.path, layer="parcels")) == 4


def test_geopackage_ensure_schema_twice_is_harmless(gpkg):
    gpkg.staff.add_user("ada", "admin", "hash")
    gpkg.ensure_schema()
    assert [u.name for u in gpkg.staff.users()] == ["ada"]


def test_geopackage_accounts_and_history_survive_replace_all(gpkg):
    gpkg.staff.add_user("ada", "admin", "hash")
    parcel = gpkg.get("T-001")
    gpkg.update_parcel(parcel.id, {"note": "x"}, 1, "ada", "form")
    gpkg.replace_all(prepared_small())
    assert gpkg.staff.get_user("ada") is not None
    assert gpkg.changes(ChangeFilter(source="form")).number_matched == 1


def test_geopackage_failed_audit_write_leaves_parcel_unchanged(gpkg, monkeypatch):
    def fail(db, rows):
        raise RuntimeError("simulated failure while writing the audit trail")

    monkeypatch.setattr(gpkg_edits, "insert_changes", fail)
    with pytest.raises(RuntimeError):
        gpkg.update_parcel(gpkg.get("T-001").id, {"status": "sold"}, 1, "ada", "form")
    parcel = gpkg.get("T-001")
    assert (parcel.status, parcel.version) == ("available", 1)


def test_geopackage_edit_keeps_spatial_index_and_geometry(gpkg):
    before = gpkg.get("T-001")
    gpkg.update_parcel(before.id, {"code": "T-001A"}, 1, "ada", "form")
    after = gpkg.get("T-001A")
    assert after.geometry.equals(before.geometry)
    assert pyogrio.read_info(gpkg.path, layer="parcels")["features"] == 4


