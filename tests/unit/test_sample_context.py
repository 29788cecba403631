"""Checks of the sample district's SYNTHETIC context layers (geodata/sample/context) and of
their generator: consistent with the parcels, small, reproducible."""

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from webapp.domain.context import CONTEXT_KINDS, check_layer

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "geodata" / "sample" / "context"
PARCELS = ROOT / "geodata" / "sample" / "parcels.geojson"
SCRIPT = ROOT / "scripts" / "sample_context.py"
MANIFEST = json.loads((FOLDER / "layers.json").read_text(encoding="utf-8"))["layers"]
WORK_CRS = 4549  # metres
FAMILY_TYPES = {"line": {"LineString", "MultiLineString"}, "point": {"Point", "MultiPoint"},
                "polygon": {"Polygon", "MultiPolygon"}}


def layer(name: str) -> gpd.GeoDataFrame:
    entry = next(e for e in MANIFEST if e["name"] == name)
    return gpd.read_file(FOLDER / entry["file"]).to_crs(WORK_CRS)


@pytest.fixture(scope="module")
def parcels() -> gpd.GeoDataFrame:
    return gpd.read_file(PARCELS).to_crs(WORK_CRS)


def test_sample_context_regenerates_byte_for_byte(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in FOLDER.iterdir())
    for path in FOLDER.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_sample_context_is_small():
    assert sum(p.stat().st_size for p in FOLDER.iterdir()) < 200 * 1024


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["name"] for e in MANIFEST])
def test_sample_context_layer_is_storable(entry):
    check_layer(entry["name"], entry["title"], entry["kind"])
    frame = gpd.read_file(FOLDER / entry["file"])
    family = CONTEXT_KINDS[entry["kind"]].family
    assert set(frame.geom_type) <= FAMILY_TYPES[family] and frame.is_valid.all()
    assert frame["name"].notna().all() and list(frame.columns) == ["name", "class", "geometry"]


def test_sample_context_has_the_layers_the_issue_names():
    kinds = {e["kind"] for e in MANIFEST}
    assert {"national_road", "expressway", "interchange", "riverbank", "riverside_belt",
            "street_boundary", "station", "port"} <= kinds


def test_sample_every_parcel_lies_in_its_street_boundary(parcels):
    streets = layer("streets").set_index("name").geometry
    inside = shapely.within(parcels.geometry.buffer(-0.5).to_numpy(),
                            streets.loc[parcels["street"]].to_numpy())
    assert inside.all(), list(parcels["code"][~inside])


def test_sample_street_boundaries_do_not_overlap():
    polygons = layer("streets").geometry.to_numpy()
    overlaps = [shapely.intersection(a, b).area for i, a in enumerate(polygons)
                for b in polygons[i + 1:]]
    assert max(overlaps) < 1.0  # m²


@pytest.mark.parametrize("name", ["g205", "expressway", "roads", "riverbank"])
def test_sample_lines_cross_no_parcel(parcels, name):
    lines = layer(name).geometry.to_numpy()
    tree = shapely.STRtree(parcels.geometry.to_numpy())
    assert tree.query(lines, predicate="dwithin", distance=10.0).size == 0


def test_sample_interchanges_lie_on_the_expressway():
    expressway = layer("expressway").geometry.iloc[0]
    distances = layer("interchanges").distance(expressway)
    assert (distances < 1.0).all() and len(distances) == 3


def test_sample_riverside_belt_holds_riverside_parcels(parcels):
    belt = layer("riverside").geometry.iloc[0]
    inside = parcels[parcels.representative_point().within(belt)]
    assert set(inside["street"]) == {"金家庄街道", "塘西街道"} and len(inside) > 5


def test_sample_ports_lie_on_the_bank():
    bank = layer("riverbank").geometry.iloc[0]
    assert np.all(layer("ports").distance(bank) < 1.0)
