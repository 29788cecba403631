"""Fixtures of parcel files the tests build themselves, for the import and the CLI tests:
bureau-style files (GBK Shapefiles, GK zones, two layers), messy and hostile files (bombs,
traversal, a renamed image, GDAL VRT/CSV tricks, GeoPackages with views and triggers).

Loaded for every test through `pytest_plugins` in tests/conftest.py.
"""

import json
import zipfile

import pyogrio
import pytest
from shapely.geometry import Polygon

from tests.conftest import DATA
from tests.importing import hostile_files as hf
from tests.importing.bureau_files import expected_lonlat_frame, write_shapefile_zip


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
def secret_file(tmp_path):
    """A file outside the upload whose text a hostile upload tries to read (hf.SECRET)."""
    return hf.write_secret(tmp_path)


@pytest.fixture(params=sorted(hf.ATTACKS))
def attack(request, tmp_path, secret_file):
    """(hostile upload, expected words of its refusal)."""
    build, words = hf.ATTACKS[request.param]
    folder = tmp_path / "upload"
    folder.mkdir()
    return build(folder, secret_file), words


@pytest.fixture(params=sorted(hf.GPKG_REFUSALS))
def evil_gpkg(request, tmp_path):
    """(GeoPackage with a view, trigger or other extra, expected words of its refusal)."""
    folder = tmp_path / "upload"
    folder.mkdir()
    return hf.geopackage_with(folder, *hf.EVIL_GPKG_SQL[request.param]), hf.GPKG_REFUSALS[
        request.param]
