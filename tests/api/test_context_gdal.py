"""Real clients read the context layers: GDAL's OAPIF driver (Debian ogrinfo 3.6, pyogrio's
GDAL) lists them beside the parcels and reads their features; GDAL's MVT driver reads a
combined context tile."""

import json
import re
import subprocess
import sys
import urllib.request

import pyogrio
import pytest

from tests.api.test_gdal import TIMEOUT_S, run
from tests.conftest import DATA, make_app
from tests.context_fixtures import add_context_layers
from webapp.tiles.grid import tile_containing

READ_SCRIPT = """
import sys
import pyogrio
frame = pyogrio.read_dataframe(sys.argv[1], layer=sys.argv[2], PAGE_SIZE="1")
print(frame.to_json(na="null"))
"""


def read_layer(url: str, layer: str) -> list[dict]:
    """Features pyogrio reads from an OAPIF URL, one per page, in a child process (pyogrio
    holds the GIL while GDAL downloads, which would starve the in-process server)."""
    result = subprocess.run([sys.executable, "-c", READ_SCRIPT, url, layer],
                            capture_output=True, text=True, timeout=TIMEOUT_S)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["features"]


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory):
    """Overrides the sample app of tests/api/conftest.py's live_url: the four-parcel district
    with the hand-made context layers."""
    app = make_app(tmp_path_factory.mktemp("context-gdal"), DATA / "small.geojson")
    add_context_layers(app.extensions["landgis.store"])
    return app


@pytest.fixture(scope="module")
def oapif(live_url):
    return f"OAPIF:{live_url}/api"


def test_ogrinfo_lists_parcels_and_every_context_layer(ogrinfo, oapif, sample_store):
    output = run(ogrinfo, "-ro", "-q", oapif).stdout
    names = re.findall(r"^\d+: (\S+)", output, re.M)
    assert names == ["parcels", *(layer.name for layer in sample_store.context.layers())]


def test_ogrinfo_counts_a_context_layer(ogrinfo, oapif, sample_store):
    output = run(ogrinfo, "-ro", "-so", oapif, "g205", "-oo", "PAGE_SIZE=1").stdout
    assert int(re.search(r"Feature Count: (\d+)", output).group(1)) == 2
    assert re.search(r"^name: String", output, re.M)


def test_pyogrio_reads_a_context_layer_through_pages(oapif, sample_store):
    features = read_layer(oapif, "interchanges")
    assert [f["properties"]["name"] for f in features] == [
        f.name for f in sample_store.context.features("interchanges").features]


def test_mvt_driver_reads_a_combined_context_tile(live_url, sample_store, tmp_path):
    west, south, east, north = sample_store.bounds()
    tile = tile_containing((west + east) / 2, (south + north) / 2, 14)
    path = tmp_path / f"{tile.z}-{tile.x}-{tile.y}.pbf"
    url = f"{live_url}/api/context/tiles/WebMercatorQuad/{tile.z}/{tile.y}/{tile.x}"
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
        path.write_bytes(response.read())
    frame = pyogrio.read_dataframe(path, X=str(tile.x), Y=str(tile.y), Z=str(tile.z))
    assert "G205" in set(frame["name"]) and set(frame["layer"]) >= {"g205", "streets"}
