"""GeoJSON is read in one pass through GDAL's Arrow stream, chunk by chunk (issue 19 §6): the
same features and values as a whole read, never the whole file's frame at once."""

import json
import warnings

import pandas as pd
import pyogrio
import pytest

from tests.conftest import DATA
from webapp.domain.errors import DataFileError
from webapp.domain.landuse import load_landuse_table
from webapp.importing import pipeline
from webapp.importing.layer_reader import LayerReader

MIXED = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [
        [[118.5, 31.7], [118.51, 31.7], [118.51, 31.71], [118.5, 31.7]]]},
     "properties": {"code": "A", "far": "1.2", "n": 3, "mix": "住宅", "arr": [1, 2],
                    "day": "2024-01-02", "flag": True}},
    {"type": "Feature", "geometry": None,
     "properties": {"code": "B", "far": 1.5, "n": None, "mix": 2, "arr": None, "day": None,
                    "flag": None}},
    {"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": [[
        [[118.5, 31.7], [118.51, 31.7], [118.51, 31.71], [118.5, 31.7]]]]},
     "properties": {"code": "C", "far": None, "n": 5, "mix": None, "arr": [3],
                    "day": "2024-03-04", "flag": False}},
]}


def reader(path):
    return LayerReader.open(path, pyogrio.list_layers(path)[0][0], None, path.name, "geojson")


@pytest.fixture
def mixed_geojson(tmp_path):
    """Three features with text, numbers, nulls, arrays, dates, booleans and a null geometry."""
    path = tmp_path / "mixed.geojson"
    path.write_text(json.dumps(MIXED, ensure_ascii=False), encoding="utf-8")
    return path


def test_geojson_chunks_number_their_first_rows(mixed_geojson):
    chunks = list(reader(mixed_geojson).chunks(2))
    assert [(first, len(frame)) for first, frame in chunks] == [(1, 2), (3, 1)]


@pytest.mark.parametrize("name", ["small.geojson", "mixed.geojson"])
def test_geojson_chunks_hold_what_a_whole_read_holds(mixed_geojson, name):
    path = mixed_geojson if name == "mixed.geojson" else DATA / name
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Could not parse column", UserWarning)
        whole = pyogrio.read_dataframe(path)
    streamed = pd.concat([frame for _, frame in reader(path).chunks(2)], ignore_index=True)
    assert list(streamed.columns) == list(whole.columns) and streamed.crs == whole.crs
    for column in whole.columns.drop("geometry"):
        assert streamed[column].astype(str).tolist() == whole[column].astype(str).tolist()
    assert streamed.geometry.to_wkt().tolist() == whole.geometry.to_wkt().tolist()


def test_broken_geojson_left_to_gdal_gets_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setattr(pipeline, "JSON_CHECK_MAX_BYTES", 0)  # as for a file over the limit
    path = tmp_path / "malformed.geojson"
    path.write_bytes((DATA / "malformed.geojson").read_bytes())
    with pytest.raises(DataFileError, match=r"^malformed\.geojson: .*(damaged|cannot be read)"):
        pipeline.plan_import(path, load_landuse_table())
