"""The MVT writer against mapbox-vector-tile and protobuf: winding, holes, multipolygons,
attributes, and varints of every length."""

import mapbox_vector_tile
import numpy as np
import pandas as pd
import pytest
import shapely
from mapbox_vector_tile.Mapbox import vector_tile_pb2

from webapp.tiles.mvt_geometry import polygon_commands
from webapp.tiles.mvt_writer import encode_layer

SQUARE = shapely.box(100, 100, 300, 300)
HOLE = shapely.box(150, 150, 200, 200)
WITH_HOLE = shapely.Polygon(SQUARE.exterior.coords, [HOLE.exterior.coords])
MULTI = shapely.MultiPolygon([SQUARE, shapely.box(400, 400, 500, 450)])
# Each varint length boundary: the largest value of n bytes and the smallest of n + 1.
VARINT_BOUNDARIES = [0, 1, 127, 128, 2**14 - 1, 2**14, 2**21 - 1, 2**21, 2**28, 2**35, 2**42,
                     2**49, 2**56, 2**63 - 1]


def write(geometries, ids=None, **properties):
    props = {"code": [f"G{i}" for i in range(len(geometries))]} | properties
    geometries = np.array(geometries, dtype=object)
    ids = np.arange(1, len(geometries) + 1) if ids is None else ids
    return encode_layer("parcels", 4096, ids, polygon_commands(geometries),
                        {k: pd.Series(v) for k, v in props.items()})


def decoded(data):
    return mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})


def parsed_layer(data):
    tile = vector_tile_pb2.tile()
    tile.ParseFromString(data)
    (layer,) = tile.layers
    return layer


@pytest.mark.parametrize("geometry", [SQUARE, SQUARE.reverse(), WITH_HOLE, WITH_HOLE.reverse(),
                                      MULTI], ids=["square", "reversed", "hole",
                                                   "hole-reversed", "multi"])
def test_mvt_writer_geometry_decodes_to_the_same_shape(geometry):
    feature = decoded(write([geometry]))["parcels"]["features"][0]
    shape = shapely.geometry.shape(feature["geometry"])
    assert shape.symmetric_difference(geometry).area == 0


@pytest.mark.parametrize("geometry", [SQUARE.reverse(), WITH_HOLE, WITH_HOLE.reverse(), MULTI])
def test_mvt_writer_winds_rings_as_mapbox_vector_tile_does(geometry):
    """The decoder tells exteriors from holes by their winding: wrong winding decodes to
    another shape (a hole as a polygon of its own)."""
    ours = decoded(write([geometry]))["parcels"]["features"][0]["geometry"]
    theirs = decoded(mapbox_vector_tile.encode(
        {"name": "parcels", "features": [{"geometry": geometry, "properties": {}}]},
        default_options={"y_coord_down": True}))["parcels"]["features"][0]["geometry"]
    assert ours["type"] == theirs["type"]
    assert shapely.geometry.shape(ours).equals(shapely.geometry.shape(theirs))


def test_mvt_writer_attributes_ids_and_missing_values():
    data = write([SQUARE, MULTI], area_m2=[1.5, 2.25], status=["sold", None])
    got = {f["id"]: f["properties"] for f in decoded(data)["parcels"]["features"]}
    assert got == {1: {"code": "G0", "area_m2": 1.5, "status": "sold"},
                   2: {"code": "G1", "area_m2": 2.25}}


def test_mvt_writer_drops_empty_and_degenerate_geometries():
    data = write([shapely.Polygon(), shapely.box(10, 10, 10.2, 10.2), SQUARE])
    assert [f["id"] for f in decoded(data)["parcels"]["features"]] == [3]


def test_mvt_writer_empty_layer_decodes():
    assert decoded(write([])).get("parcels", {"features": []})["features"] == []


def test_mvt_writer_ids_of_every_varint_length_survive_protobuf():
    ids = np.array([*VARINT_BOUNDARIES, -1, -2**63], np.int64)
    layer = parsed_layer(write([SQUARE] * len(ids), ids=ids))
    assert [f.id for f in layer.features] == [int(i) % 2**64 for i in ids]


def test_mvt_writer_integer_values_of_every_varint_length_survive_protobuf():
    numbers = np.array([*VARINT_BOUNDARIES, -1, -2**63], np.int64)
    layer = parsed_layer(write([SQUARE] * len(numbers), n=numbers))
    assert sorted(v.int_value for v in layer.values if v.HasField("int_value")) == sorted(
        numbers.tolist())


@pytest.mark.parametrize("length", [0, 1, 125, 126, 127, 128, 2**14 - 1, 2**14, 100_000])
def test_mvt_writer_texts_and_messages_of_every_length_survive_protobuf(length):
    text = "x" * length
    layer = parsed_layer(write([SQUARE], code=[text]))
    assert [v.string_value for v in layer.values] == [text]


def test_mvt_writer_geometry_of_thousands_of_points_survives_protobuf():
    ring = shapely.Point(2048, 2048).buffer(2000, 4000)  # 16,000 points: a long length varint
    (feature,) = decoded(write([ring]))["parcels"]["features"]
    assert shapely.geometry.shape(feature["geometry"]).symmetric_difference(
        shapely.set_precision(ring, 1.0)).area < 1e-6 * ring.area
