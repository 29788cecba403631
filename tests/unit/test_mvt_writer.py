"""The MVT writer: winding, holes, multipolygons, attributes and varints."""

import mapbox_vector_tile
import numpy as np
import pandas as pd
import pytest
import shapely

from webapp.tiles.mvt_writer import encode_polygon_layer
from webapp.tiles.protobuf import SMALL_ARRAY, WIDE_ARRAY, varint, varint_bytes, varint_sizes

SQUARE = shapely.box(100, 100, 300, 300)
HOLE = shapely.box(150, 150, 200, 200)
WITH_HOLE = shapely.Polygon(SQUARE.exterior.coords, [HOLE.exterior.coords])
MULTI = shapely.MultiPolygon([SQUARE, shapely.box(400, 400, 500, 450)])


def write(geometries, **properties):
    props = {"code": [f"G{i}" for i in range(len(geometries))]} | properties
    return encode_polygon_layer("parcels", 4096, np.arange(1, len(geometries) + 1),
                                np.array(geometries, dtype=object),
                                {k: pd.Series(v) for k, v in props.items()})


def decoded(data):
    return mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})


@pytest.mark.parametrize("geometry", [SQUARE, SQUARE.reverse(), WITH_HOLE, WITH_HOLE.reverse(),
                                      MULTI], ids=["square", "reversed", "hole",
                                                   "hole-reversed", "multi"])
def test_mvt_writer_geometry_decodes_to_the_same_shape(geometry):
    feature = decoded(write([geometry]))["parcels"]["features"][0]
    shape = shapely.geometry.shape(feature["geometry"])
    assert shape.symmetric_difference(geometry).area == 0


@pytest.mark.parametrize("geometry", [WITH_HOLE, MULTI])
def test_mvt_writer_winds_exteriors_positive_as_mapbox_vector_tile_does(geometry):
    ours = decoded(write([geometry]))["parcels"]["features"][0]["geometry"]
    theirs = decoded(mapbox_vector_tile.encode(
        {"name": "parcels", "features": [{"geometry": geometry, "properties": {}}]},
        default_options={"y_coord_down": True}))["parcels"]["features"][0]["geometry"]
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


def protobuf_varint(value: int) -> bytes:
    expected = bytearray()
    while value >= 0x80:
        expected.append((value & 0x7F) | 0x80)
        value >>= 7
    expected.append(value)
    return bytes(expected)


@pytest.mark.parametrize("value", [0, 1, 127, 128, 300, 2**32 - 1, 2**62])
def test_varint_bytes_match_protobuf(value):
    encoded, counts = varint_bytes(np.array([value]))
    expected = protobuf_varint(value)
    assert (encoded.tobytes(), counts.tolist()) == (expected, [len(expected)])


@pytest.mark.parametrize("value", [0, 127, 128, 2**14 - 1, 2**14, 100_000, 2**21 - 1, 2**21,
                                   2**35, 2**64 - 1])
def test_varint_matches_protobuf_at_every_length_boundary(value):
    assert varint(value) == protobuf_varint(value)


@pytest.mark.parametrize("size", [0, SMALL_ARRAY - 1, SMALL_ARRAY, 500, WIDE_ARRAY,
                                  WIDE_ARRAY + 1, 20_000])
def test_varint_bytes_small_and_large_arrays_agree_with_protobuf(size):
    rng = np.random.default_rng(size)
    values = np.concatenate([rng.integers(0, 2**63, size // 2, dtype=np.uint64),
                             rng.integers(0, 300, size - size // 2).astype(np.uint64)])
    encoded, counts = varint_bytes(values)
    expected = [protobuf_varint(int(v)) for v in values.tolist()]
    assert encoded.tobytes() == b"".join(expected)
    assert counts.tolist() == [len(e) for e in expected]
    assert varint_sizes(values).tolist() == [len(e) for e in expected]
