"""Real clients: GDAL's OAPIF driver (Debian ogrinfo 3.6 and pyogrio's bundled GDAL) reads the
API like QGIS does, paging to the last parcel; GDAL's MVT driver reads a vector tile.

pyogrio holds the GIL while GDAL downloads, which would starve the in-process server thread,
so the OAPIF reads with pyogrio run in a child Python process.
"""

import json
import re
import subprocess
import sys
import urllib.request

import pyogrio
import pytest
import shapely

from webapp.api.features import parcel_properties
from webapp.domain.filters import ParcelFilter
from webapp.domain.parcel import ATTRIBUTE_TYPES
from webapp.tiles.grid import tile_containing

TIMEOUT_S = 120
PAGE_SIZE = 50  # small, so that reading all 360 sample parcels needs eight pages
PUBLIC_FIELDS = [*ATTRIBUTE_TYPES, "area_m2", "area_mu", "updated_at"]


def run(*args):
    result = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert result.returncode == 0, result.stderr
    return result


def published(store):
    return store.query(ParcelFilter(), with_geometry=True).parcels


READ_SCRIPT = """
import json, sys
import pyogrio
url = sys.argv[1]
options = {k: tuple(v) if isinstance(v, list) else v for k, v in json.loads(sys.argv[2]).items()}
frame = pyogrio.read_dataframe(url, layer="parcels", **options)
print(frame.to_json(na="null", default=str))
"""


def read_remote(url, **options):
    """Features read by pyogrio.read_dataframe(url, layer="parcels", **options), in a child."""
    output = run(sys.executable, "-c", READ_SCRIPT, url, json.dumps(options)).stdout
    return json.loads(output)["features"]


def codes(features):
    return [f["properties"]["code"] for f in features]


@pytest.fixture(scope="module")
def oapif(live_url):
    return f"OAPIF:{live_url}/api"


def test_ogrinfo_reports_the_store_count(ogrinfo, oapif, sample_store):
    output = run(ogrinfo, "-ro", "-al", "-so", oapif, "-oo", "PAGE_SIZE=1000").stdout
    count = int(re.search(r"Feature Count: (\d+)", output).group(1))
    assert count == sample_store.count(include_drafts=False)


def test_ogrinfo_reports_every_public_attribute(ogrinfo, oapif):
    output = run(ogrinfo, "-ro", "-al", "-so", oapif, "-oo", "PAGE_SIZE=1000").stdout
    fields = re.findall(r"^(\w+): (?:String|Integer|Integer64|Real|DateTime)", output, re.M)
    assert fields == PUBLIC_FIELDS


def test_ogrinfo_pages_to_the_last_parcel(ogrinfo, oapif, sample_store):
    output = run(ogrinfo, "-ro", "-al", "-q", "-geom=NO", oapif, "-oo",
                 f"PAGE_SIZE={PAGE_SIZE}").stdout
    codes = re.findall(r"^  code \(String\) = (.*)$", output, re.M)
    assert codes == [p.code for p in published(sample_store)]


def test_pyogrio_reads_every_parcel_through_pages(oapif, sample_store):
    features = read_remote(oapif, PAGE_SIZE=str(PAGE_SIZE))
    assert codes(features) == [p.code for p in published(sample_store)]


def test_pyogrio_reads_attributes_as_stored(oapif, sample_store):
    last = read_remote(oapif, PAGE_SIZE=str(PAGE_SIZE))[-1]
    parcel = published(sample_store)[-1]
    expected = parcel_properties(parcel)
    assert {k: last["properties"][k] for k in ("code", "land_use", "status", "area_m2",
                                               "area_mu")} == {
        k: expected[k] for k in ("code", "land_use", "status", "area_m2", "area_mu")}
    assert shapely.geometry.shape(last["geometry"]).equals_exact(parcel.geometry, 1e-7)


def test_pyogrio_attribute_filter_runs_on_the_server(oapif, sample_store):
    features = read_remote(oapif, where="status = 'sold'")
    assert len(features) == sample_store.query(ParcelFilter(statuses=("sold",))).number_matched


def test_pyogrio_bbox_filter(oapif, sample_store):
    box = [118.50, 31.70, 118.52, 31.72]
    assert sorted(codes(read_remote(oapif, bbox=box))) == sorted(
        p.code for p in sample_store.query(ParcelFilter(bbox=tuple(box))).parcels)


@pytest.fixture(scope="module")
def tile_file(live_url, sample_store, tmp_path_factory):
    """The z16 tile around the first sample parcel, downloaded, with its address."""
    parcel = published(sample_store)[0]
    centre = shapely.centroid(parcel.geometry)
    tile = tile_containing(centre.x, centre.y, 16)
    path = tmp_path_factory.mktemp("tiles") / f"{tile.z}-{tile.x}-{tile.y}.pbf"
    url = f"{live_url}/api/collections/parcels/tiles/WebMercatorQuad/{tile.z}/{tile.y}/{tile.x}"
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
        path.write_bytes(response.read())
    return path, tile, parcel


def test_mvt_driver_finds_the_parcel_with_its_attributes(tile_file):
    path, tile, parcel = tile_file
    frame = pyogrio.read_dataframe(path, X=str(tile.x), Y=str(tile.y), Z=str(tile.z))
    row = frame[frame["code"] == parcel.code].iloc[0]
    assert (row["id"], row["land_use"], row["status"], row["area_mu"]) == (
        parcel.id, parcel.land_use, parcel.status, round(parcel.area_mu, 2))


def test_mvt_driver_places_the_parcel_where_it_is(tile_file):
    path, tile, parcel = tile_file
    frame = pyogrio.read_dataframe(path, X=str(tile.x), Y=str(tile.y), Z=str(tile.z))
    drawn = frame[frame["code"] == parcel.code].to_crs(4326).geometry.iloc[0]
    overlap = shapely.intersection(drawn, parcel.geometry).area / parcel.geometry.area
    assert overlap > 0.95


def test_mvt_ogrinfo_counts_the_parcels_of_the_tile(ogrinfo, tile_file, sample_store):
    path, tile, _ = tile_file
    output = run(ogrinfo, "-ro", "-al", "-so", str(path), "-oo", f"X={tile.x}", "-oo",
                 f"Y={tile.y}", "-oo", f"Z={tile.z}").stdout
    frame = pyogrio.read_dataframe(path, X=str(tile.x), Y=str(tile.y), Z=str(tile.z))
    assert int(re.search(r"Feature Count: (\d+)", output).group(1)) == len(frame) > 0


def test_debian_gdal_opens_the_store_and_an_export_without_warnings(ogrinfo, sample_app,
                                                                    sample_store, tmp_path):
    export = tmp_path / "export.gpkg"
    export.write_bytes(sample_app.test_client().get("/export/parcels.gpkg").get_data())
    for path in (sample_store.path, export):
        result = run(ogrinfo, "-ro", "-so", str(path))
        assert "parcels (Multi Polygon)" in result.stdout
        assert result.stderr == ""  # e.g. no "GeoPackage 1.4 may only be partially supported"
