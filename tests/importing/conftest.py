"""Bureau-style parcel files built by the tests themselves (GBK Shapefiles, GK zones, bombs)."""

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner
from shapely.geometry import Polygon, box

from tests.conftest import DATA

# Expected parcels: lon/lat squares near Ma'anshan, ~100 m wide, with Chinese attributes.
LONLAT_CORNERS = [(118.500, 31.700), (118.505, 31.700), (118.510, 31.702)]
CHINESE = {
    "宗地编号": ["HS-01", "HS-02", "HS-03"],
    "地块名称": ["金家庄街道宝庆路北侧地块", "塘西街道沿江物流地块", "马鞍山软件园三期地块"],
    "用地性质": ["工业用地", "物流仓储用地", "商业用地"],
    "街道": ["金家庄街道", "塘西街道", "霍里街道"],
    "状态": ["可供", "洽谈中", "已出让"],
    "容积率": ["≥1.2", "1.0-2.0", "2.5"],
}


def expected_lonlat_frame() -> gpd.GeoDataFrame:
    """The three parcels in lon/lat: squares of 0.001° × 0.0009° (about 95 m × 100 m)."""
    shapes = [box(x, y, x + 0.001, y + 0.0009) for x, y in LONLAT_CORNERS]
    return gpd.GeoDataFrame(CHINESE, geometry=shapes, crs=4326)


def write_shapefile_zip(folder: Path, crs: int, keep_cpg: bool, keep_prj: bool) -> Path:
    """A zipped GBK Shapefile in `crs`, optionally without .cpg and/or .prj."""
    shp_dir = folder / "shp"
    shp_dir.mkdir()
    pyogrio.write_dataframe(expected_lonlat_frame().to_crs(crs), shp_dir / "地块.shp",
                            encoding="GBK")
    archive = folder / "bureau.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(shp_dir.iterdir()):
            if (path.suffix == ".cpg" and not keep_cpg) or (path.suffix == ".prj" and not keep_prj):
                continue
            z.write(path, path.name)
    return archive


@pytest.fixture
def gbk_shapefile_zip(tmp_path):
    """GBK Shapefile in EPSG:4528 (GK zone 40, eastings 40xxxxxx), no .cpg."""
    return write_shapefile_zip(tmp_path, 4528, keep_cpg=False, keep_prj=True)


@pytest.fixture
def gbk_shapefile_zip_without_prj(tmp_path):
    """The same with neither .cpg nor .prj."""
    return write_shapefile_zip(tmp_path, 4528, keep_cpg=False, keep_prj=False)


@pytest.fixture
def cm_shapefile_zip_without_prj(tmp_path):
    """GK CM 120E (6-digit eastings, EPSG:4549) without .prj: ambiguous between 117E and 120E."""
    return write_shapefile_zip(tmp_path, 4549, keep_cpg=False, keep_prj=False)


@pytest.fixture
def two_layer_geopackage(tmp_path):
    """A GeoPackage in EPSG:4549 with layers 'parcels_2024' and 'parcels_2025'."""
    path = tmp_path / "bureau.gpkg"
    frame = expected_lonlat_frame().to_crs(4549)
    pyogrio.write_dataframe(frame, path, layer="parcels_2024")
    pyogrio.write_dataframe(frame.iloc[:2], path, layer="parcels_2025", append=False)
    return path


@pytest.fixture
def messy_geojson(tmp_path):
    """GeoJSON with a self-intersecting polygon (row 2) and a duplicate code (row 3)."""
    base = json.loads((DATA / "small.geojson").read_text())
    features = base["features"][:1]
    bowtie = Polygon([(118.52, 31.70), (118.53, 31.71), (118.53, 31.70), (118.52, 31.71)])
    features.append({"type": "Feature", "properties": {**features[0]["properties"],
                                                       "code": "T-BOW"},
                     "geometry": bowtie.__geo_interface__})
    features.append({**base["features"][1], "properties": {**base["features"][1]["properties"],
                                                           "code": "T-001"}})
    path = tmp_path / "messy.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


@pytest.fixture
def zip_bomb(tmp_path):
    """A 64 MB run of zeros that packs to about 64 kB."""
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z, z.open("parcels.shp", "w") as f:
        chunk = bytes(1 << 20)
        for _ in range(64):
            f.write(chunk)
    return path


@pytest.fixture
def traversal_zip(tmp_path):
    """An archive whose entry climbs out of the extraction folder."""
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("../../etc/evil.shp", b"\x00\x00\x27\x0a")
    return path


@pytest.fixture
def renamed_png(tmp_path):
    """A PNG image renamed to look like a parcel file."""
    path = tmp_path / "parcels.geojson"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    return path


@pytest.fixture
def runner(tmp_path, monkeypatch):
    """A CLI runner whose landgis uses a tmp instance folder seeded from small.geojson."""
    monkeypatch.setenv("LANDGIS_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("LANDGIS_SECRET_KEY", "test-secret")
    monkeypatch.setenv("LANDGIS_SAMPLE_PATH", str(DATA / "small.geojson"))
    return CliRunner()
