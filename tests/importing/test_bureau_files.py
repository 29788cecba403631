"""Acceptance: the files the bureau sends import correctly or are refused with their reason."""

import json

import geopandas as gpd
import pytest
from pyproj import Geod

from tests.importing.bureau_files import expected_lonlat_frame
from webapp.domain.errors import DataFileError
from webapp.domain.landuse import load_landuse_table
from webapp.importing.pipeline import ImportOptions, plan_import

GEOD = Geod(ellps="GRS80")


def plan(path, **options):
    return plan_import(path, load_landuse_table(), ImportOptions(**options))


def max_corner_error_m(imported: gpd.GeoDataFrame) -> float:
    expected = expected_lonlat_frame().set_index("宗地编号").geometry
    worst = 0.0
    for code, geometry in zip(imported["code"], imported.geometry, strict=True):
        got, want = geometry.envelope.exterior.coords, expected[code].envelope.exterior.coords
        for (x1, y1), (x2, y2) in zip(got, want, strict=False):
            worst = max(worst, GEOD.inv(x1, y1, x2, y2)[2])
    return worst


def test_gbk_shapefile_without_cpg_keeps_chinese_text(gbk_shapefile_zip):
    result = plan(gbk_shapefile_zip)
    assert list(result.parcels["name"]) == expected_lonlat_frame()["地块名称"].tolist()
    assert "gb18030" in result.report.encoding and "detected" in result.report.encoding


def test_gbk_shapefile_coordinates_within_one_metre(gbk_shapefile_zip):
    assert max_corner_error_m(plan(gbk_shapefile_zip).parcels) < 1.0


def test_gbk_shapefile_areas_within_half_percent(gbk_shapefile_zip):
    imported = plan(gbk_shapefile_zip).parcels
    expected = expected_lonlat_frame()
    geodesic = [abs(GEOD.geometry_area_perimeter(g)[0]) for g in expected.geometry]
    for got, want in zip(imported["area_m2"], geodesic, strict=True):
        assert got == pytest.approx(want, rel=5e-3)


def test_gbk_shapefile_fields_are_mapped_and_parsed(gbk_shapefile_zip):
    row = plan(gbk_shapefile_zip).parcels.set_index("code").loc["HS-02"]
    assert (row["land_use"], row["status"], row["far_min"], row["far_max"]) == (
        "1101", "negotiating", 1.0, 2.0)
    assert row["land_use_source"] == "物流仓储用地"


def test_gbk_shapefile_encoding_override_is_used(gbk_shapefile_zip):
    assert plan(gbk_shapefile_zip, encoding="GBK").report.encoding.startswith("gbk")


def test_shapefile_without_prj_detects_zone_40(gbk_shapefile_zip_without_prj):
    result = plan(gbk_shapefile_zip_without_prj)
    assert "EPSG:4528" in result.report.crs and "zone 40" in result.report.crs
    assert max_corner_error_m(result.parcels) < 1.0


def test_shapefile_with_six_digit_eastings_asks_for_crs(cm_shapefile_zip_without_prj):
    with pytest.raises(DataFileError, match="--crs EPSG:4548 or --crs EPSG:4549"):
        plan(cm_shapefile_zip_without_prj)


def test_shapefile_with_named_crs_imports(cm_shapefile_zip_without_prj):
    result = plan(cm_shapefile_zip_without_prj, crs="EPSG:4549")
    assert max_corner_error_m(result.parcels) < 1.0


def test_shapefile_with_wrong_named_crs_is_refused(cm_shapefile_zip_without_prj):
    with pytest.raises(DataFileError, match="outside the service area"):
        plan(cm_shapefile_zip_without_prj, crs="EPSG:32633")


def test_xian_1980_is_refused_without_parameters(cm_shapefile_zip_without_prj):
    with pytest.raises(DataFileError, match="transformation parameters"):
        plan(cm_shapefile_zip_without_prj, crs="EPSG:2385")


def test_geopackage_with_two_layers_asks_for_one(two_layer_geopackage):
    with pytest.raises(DataFileError, match=r"parcels_2024, parcels_2025.*--layer"):
        plan(two_layer_geopackage)


def test_geopackage_chosen_layer_imports_in_lonlat(two_layer_geopackage):
    result = plan(two_layer_geopackage, layer="parcels_2025")
    assert len(result.parcels) == 2 and "EPSG:4549" in result.report.crs
    assert max_corner_error_m(result.parcels) < 1.0


def test_geopackage_unknown_layer_is_refused(two_layer_geopackage):
    with pytest.raises(DataFileError, match="no polygon layer “nope”"):
        plan(two_layer_geopackage, layer="nope")


def test_messy_geojson_repairs_and_rejects_rows(messy_geojson):
    report = plan(messy_geojson).report
    outcomes = [(r.row, r.outcome) for r in report.rows]
    assert outcomes == [(1, "accepted"), (2, "repaired"), (3, "rejected")]
    assert "Self-intersection" in report.rows[1].message
    assert "duplicate code “T-001” (first in row 1)" in report.rows[2].message


def test_messy_geojson_report_as_csv(messy_geojson):
    text = plan(messy_geojson).report.to_csv()
    assert text.startswith("\ufeffrow,code,outcome,message")
    assert "3,T-001,rejected" in text


@pytest.mark.parametrize(("fixture", "message"), [
    ("zip_bomb", "looks like a zip bomb"),
    ("traversal_zip", "points outside the archive"),
    ("renamed_png", "this is a PNG image, not a parcel file"),
])
def test_hostile_files_are_refused(request, fixture, message):
    with pytest.raises(DataFileError, match=message):
        plan(request.getfixturevalue(fixture))


def test_import_leaves_no_temporary_files(gbk_shapefile_zip, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    plan(gbk_shapefile_zip)
    assert list((tmp_path / "tmp").iterdir()) == []


def test_legacy_geojson_with_crs_member_is_reprojected(tmp_path):
    frame = expected_lonlat_frame().to_crs(4549)
    features = [{"type": "Feature", "properties": {"宗地编号": code, "用地性质": "工业用地"},
                 "geometry": geometry.__geo_interface__}
                for code, geometry in zip(frame["宗地编号"], frame.geometry, strict=True)]
    document = {"type": "FeatureCollection", "features": features,
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4549"}}}
    path = tmp_path / "legacy.geojson"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = plan(path)
    assert "EPSG:4549" in result.report.crs and max_corner_error_m(result.parcels) < 1.0


def test_geojson_missing_status_defaults_to_reserve(tmp_path):
    path = tmp_path / "nostatus.geojson"
    feature = {"type": "Feature", "properties": {"code": "X-1", "land_use": "0901"},
               "geometry": expected_lonlat_frame().geometry[0].__geo_interface__}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    assert plan(path).parcels["status"].tolist() == ["reserve"]


def test_file_without_code_field_is_refused(tmp_path):
    path = tmp_path / "nocode.geojson"
    feature = {"type": "Feature", "properties": {"land_use": "0901"},
               "geometry": expected_lonlat_frame().geometry[0].__geo_interface__}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(DataFileError, match="no field holds the parcel code"):
        plan(path)


def test_file_checked_in_chunks_gives_the_same_report(messy_geojson, monkeypatch):
    from webapp.importing import pipeline

    whole = plan(messy_geojson)
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 1)  # every row its own chunk
    chunked = plan(messy_geojson)
    assert chunked.report.rows == whole.report.rows  # duplicates found across chunks
    assert list(chunked.parcels["id"]) == [1, 2]
    assert list(chunked.parcels["code"]) == list(whole.parcels["code"])


def test_geopackage_read_in_chunks_gives_the_same_parcels(two_layer_geopackage, monkeypatch):
    from webapp.importing import pipeline

    whole = plan(two_layer_geopackage, layer="parcels_2024")
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)  # GeoPackages are read chunk by chunk
    chunked = plan(two_layer_geopackage, layer="parcels_2024")
    assert chunked.report.rows == whole.report.rows
    assert list(chunked.parcels["code"]) == list(whole.parcels["code"])
    assert chunked.parcels.geometry.geom_equals_exact(whole.parcels.geometry, 1e-9).all()


def test_unmapped_date_and_binary_fields_are_kept_as_text(tmp_path):
    import datetime

    from webapp.importing.pipeline import apply_import
    from webapp.store import GeoPackageStore

    frame = expected_lonlat_frame().iloc[:2].copy()  # parcels HS-01 and HS-02
    frame["批准日期"] = [datetime.datetime(2024, 3, 1, 8, 30), None]
    frame["签约日"] = [datetime.date(2024, 5, 6), datetime.date(2024, 5, 7)]
    frame["附件"] = [b"\x00\x01", None]
    path = tmp_path / "dated.gpkg"
    frame.to_file(path, driver="GPKG", engine="pyogrio")
    store = GeoPackageStore(tmp_path / "store.gpkg")
    apply_import(store, plan(path), "replace")
    first, second = store.get("HS-01").extra, store.get("HS-02").extra
    assert first["批准日期"].startswith("2024-03-01T08:30")
    assert first["签约日"] == "2024-05-06" and second["签约日"] == "2024-05-07"
    assert "批准日期" not in second  # a blank date is left out like any blank value
    assert isinstance(first["附件"], str)
