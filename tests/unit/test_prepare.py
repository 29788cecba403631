"""Reading and preparing parcel files: what is accepted, repaired or refused, and why."""

import pytest

from tests.conftest import DATA
from webapp.domain.errors import DataFileError
from webapp.domain.landuse import load_landuse_table
from webapp.domain.units import m2_to_mu
from webapp.importing.pipeline import plan_strict_import


def prepare(name: str):
    return plan_strict_import(DATA / name, load_landuse_table()).parcels


def test_prepare_computes_areas_in_square_metres():
    prepared = prepare("small.geojson").set_index("code")
    assert prepared.loc["T-001", "area_m2"] == pytest.approx(10000, rel=1e-3)
    assert m2_to_mu(prepared.loc["T-002", "area_m2"]) == pytest.approx(30, rel=1e-3)


def test_prepare_keeps_source_land_use_and_types_numbers():
    row = prepare("small.geojson").set_index("code").loc["T-001"]
    assert (row["land_use"], row["land_use_source"], row["lease_years"]) == ("100101", "100101",
                                                                            50)


def test_prepare_numbers_ids_and_versions():
    prepared = prepare("small.geojson")
    assert list(prepared["id"]) == [1, 2, 3, 4]
    assert set(prepared["version"]) == {1}


def test_prepare_repairs_self_intersecting_polygon():
    prepared = prepare("bowtie.geojson")
    assert prepared.geometry.iloc[0].is_valid
    assert prepared["area_m2"].iloc[0] > 0


@pytest.mark.parametrize(("name", "message"), [
    ("malformed.geojson", "malformed.geojson: invalid JSON at line"),
    ("point.geojson", "feature 2: geometry is a Point, not a polygon"),
    ("duplicate_code.geojson", "feature 2: duplicate code “T-001”"),
    ("unknown_landuse.geojson", "feature 1: land_use: unknown land use “9999”"),
])
def test_prepare_refuses_bad_file_with_reason(name, message):
    with pytest.raises(DataFileError, match=message.replace("(", r"\(")):
        prepare(name)


def test_read_missing_file_is_reported(tmp_path):
    with pytest.raises(DataFileError, match="no such file"):
        plan_strict_import(tmp_path / "nothing.geojson", load_landuse_table())


def test_read_json_that_is_not_geojson_is_refused(tmp_path):
    path = tmp_path / "list.geojson"
    path.write_text("[1, 2, 3]")
    with pytest.raises(DataFileError, match="not a parcel file"):
        plan_strict_import(path, load_landuse_table())


def test_read_non_utf8_geojson_is_refused(tmp_path):
    path = tmp_path / "gbk.geojson"
    path.write_bytes('{"type": "FeatureCollection", "name": "地块"}'.encode("gbk"))
    with pytest.raises(DataFileError, match="not UTF-8"):
        plan_strict_import(path, load_landuse_table())
