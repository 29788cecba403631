"""`landgis import` of real-looking bureau files: a traditional-Chinese zoning Shapefile in a
national grid through a mapping file, a bare .shp with its sidecar files, and the service area
(a district in another country with an explicit CRS)."""

import json

import geopandas as gpd
import pytest
from shapely.geometry import box

from tests.cli.test_import_command import stored
from tests.importing.zoning_files import (
    MAPPING,
    ZONES,
    write_zoning_shapefile,
    zip_folder,
    zoning_frame,
)
from webapp.cli import main

NAIROBI_UTM = 32737  # WGS 84 / UTM zone 37S
NAIROBI_AREA = "36.6,-1.5,37.1,-1.1"


@pytest.fixture
def mapping_file(tmp_path):
    path = tmp_path / "zoning-mapping.json"
    path.write_text(json.dumps(MAPPING, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def zoning_zip(tmp_path):
    return zip_folder(write_zoning_shapefile(tmp_path))


def test_zoning_shapefile_imports_through_mapping_file(runner, tmp_path, zoning_zip,
                                                       mapping_file):
    result = runner.invoke(main, ["import", str(zoning_zip), "--mapping", str(mapping_file)])
    assert result.exit_code == 0, result.output
    assert "5 accepted, 0 repaired, 0 rejected" in result.output
    store = stored(tmp_path)
    found = {code: store.get(code) for code, *_ in ZONES}
    assert [found[c].land_use for c in ("ZQ-01", "ZQ-02", "ZQ-03", "ZQ-04", "ZQ-05")] == [
        "0701", "0901", "1001", "1209", "0701"]
    assert (found["ZQ-01"].name, found["ZQ-01"].street) == ("寶慶路北側住宅地塊", "金家莊街道")
    assert [found[c].status for c in ("ZQ-01", "ZQ-02", "ZQ-03", "ZQ-04")] == [
        "available", "negotiating", "reserve", "reserve"]
    assert {p.supply_method for p in found.values()} == {"listing"}


def test_zoning_shapefile_areas_match_the_projected_reference(runner, tmp_path, zoning_zip,
                                                              mapping_file):
    runner.invoke(main, ["import", str(zoning_zip), "--mapping", str(mapping_file)])
    store = stored(tmp_path)
    reference = dict(zip(zoning_frame()["宗地編號"], zoning_frame().area, strict=True))
    for code, area_m2 in reference.items():
        assert store.get(code).area_m2 == pytest.approx(area_m2, rel=0.005)


def test_zoning_shapefile_without_mapping_groups_unknown_values(runner, zoning_zip):
    result = runner.invoke(main, ["import", str(zoning_zip), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "unknown land use 住宅區: 2 rows" in result.output
    assert result.output.index("住宅區: 2 rows") < result.output.index("  row 1 ")


def test_bare_shapefile_with_sidecars_reads_attributes(runner, tmp_path, mapping_file):
    shp = write_zoning_shapefile(tmp_path)
    result = runner.invoke(main, ["import", str(shp), "--mapping", str(mapping_file)])
    assert result.exit_code == 0, result.output
    assert "Shapefile" in result.output and "GB18030" in result.output
    assert stored(tmp_path).get("ZQ-02").name == "沿江商業地塊"


@pytest.mark.parametrize(("keep", "missing"), [
    ((".shp", ".shx", ".prj"), ".dbf"),
    ((".shp", ".dbf", ".prj"), ".shx"),
])
def test_bare_shapefile_without_sidecar_says_which(runner, tmp_path, keep, missing):
    shp = write_zoning_shapefile(tmp_path, keep)
    result = runner.invoke(main, ["import", str(shp)])
    assert result.exit_code != 0
    assert f"no 控規地塊{missing} beside it" in result.output
    assert "Nothing was written." in result.output


def write_nairobi_file(folder):
    """Two 100 m parcels in Nairobi in UTM 37S, the CRS named in the file."""
    x, y = 257_000.0, 9_857_000.0
    frame = gpd.GeoDataFrame({"code": ["NBO-1", "NBO-2"], "land_use": ["0901", "1001"]},
                             geometry=[box(x, y, x + 100, y + 100),
                                       box(x + 150, y, x + 250, y + 100)], crs=NAIROBI_UTM)
    path = folder / "nairobi.gpkg"
    frame.to_file(path, driver="GPKG")
    return path


def test_file_in_another_country_is_refused_outside_the_service_area(runner, tmp_path):
    result = runner.invoke(main, ["import", str(write_nairobi_file(tmp_path))])
    assert result.exit_code != 0
    assert "outside the service area" in result.output
    assert "36.8" in result.output and "1.2" in result.output and "S" in result.output
    assert "118." in result.output  # the expected area, around the stored parcels
    assert stored(tmp_path).get("NBO-1") is None


def test_file_in_another_country_imports_when_the_service_area_is_there(runner, tmp_path,
                                                                        monkeypatch):
    monkeypatch.setenv("LANDGIS_SERVICE_AREA", NAIROBI_AREA)
    result = runner.invoke(main, ["import", str(write_nairobi_file(tmp_path))])
    assert result.exit_code == 0, result.output
    parcel = stored(tmp_path).get("NBO-1")
    assert parcel.area_m2 == pytest.approx(10_000, rel=0.005)
    assert 36.8 < parcel.geometry.centroid.x < 36.9


def write_twice_drawn_file(folder):
    """Two codes drawn over the same square near 马鞍山, and a third parcel beside them."""
    shapes = [box(118.50, 31.70, 118.501, 31.701)] * 2 + [box(118.503, 31.70, 118.504, 31.701)]
    frame = gpd.GeoDataFrame({"code": ["D-1", "D-2", "D-3"], "land_use": ["1001"] * 3},
                             geometry=shapes, crs=4326)
    path = folder / "twice.gpkg"
    frame.to_file(path, driver="GPKG")
    return path


@pytest.mark.parametrize(("options", "stored_codes", "shown"), [
    ([], ["D-1", "D-2", "D-3"], "accepted: duplicate geometry: 1 row"),
    (["--reject-duplicates"], ["D-1", "D-3"], "rejected: duplicate geometry: 1 row"),
])
def test_duplicate_geometry_warns_or_is_rejected(runner, tmp_path, options, stored_codes, shown):
    result = runner.invoke(main, ["import", str(write_twice_drawn_file(tmp_path)), *options])
    assert result.exit_code == 0, result.output
    assert shown in result.output
    assert "same shape as “D-1” (row 1)" in result.output
    store = stored(tmp_path)
    assert [c for c in ("D-1", "D-2", "D-3") if store.get(c)] == stored_codes
