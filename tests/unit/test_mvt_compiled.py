"""The compiled MVT writer against plain references: the geometry rules (mvt_reference) and the
values table as protobuf itself writes it, for layers of every size the tiles meet."""

import math

import mapbox_vector_tile
import numpy as np
import pytest
import shapely
from mapbox_vector_tile.Mapbox import vector_tile_pb2

from tests.hostile import HOSTILE
from tests.unit.mvt_reference import feature_commands, reference_values
from webapp.tiles.mvt_geometry import polygon_commands
from webapp.tiles.mvt_values import layer_values
from webapp.tiles.mvt_writer import encode_layer

SQUARE = shapely.box(100, 100, 300, 300)
HOLE = shapely.box(150, 150, 200, 200)
SPECIAL = {
    "hole": shapely.Polygon(SQUARE.exterior.coords, [HOLE.exterior.coords]),
    "hole-reversed": shapely.Polygon(SQUARE.exterior.coords, [HOLE.exterior.coords]).reverse(),
    "multi": shapely.MultiPolygon([SQUARE, shapely.box(400, 400, 500, 450)]),
    "collapses-when-rounded": shapely.box(10, 10, 10.2, 10.2),
    "hole-collapses": shapely.Polygon(SQUARE.exterior.coords,
                                      [shapely.box(150, 150, 150.3, 150.3).exterior.coords]),
    "exterior-collapses-with-its-hole": shapely.MultiPolygon([
        shapely.Polygon([(0, 0), (0.2, 0), (0.2, 0.2)]), SQUARE]),
    "repeated-points": shapely.Polygon([(0, 0), (0.1, 0), (50, 0), (50, 0.2), (50, 50),
                                        (0, 50)]),
    "zero-area": shapely.Polygon([(0, 0), (10, 0), (20, 0), (30, 0)]),
    "empty": shapely.Polygon(),
    "none": None,
    "line": shapely.LineString([(0, 0), (10, 10)]),
    "collection": shapely.GeometryCollection([SQUARE, shapely.LineString([(0, 0), (1, 1)])]),
}
LAYER_SIZES = [0, 1, 7, 256, 257, 300, 2000, 5000]  # a z16 tile holds ~20, a dense z12 one ~5000


def write(ids, geometries, properties, scale=1.0, offset=(0.0, 0.0)) -> bytes:
    return encode_layer("parcels", 4096, ids, polygon_commands(geometries, scale, offset),
                        properties)


def random_polygons(rng: np.random.Generator, count: int) -> list:
    """Jittered polygons, some with holes, some multi, some tiny, some reversed."""
    shapes = []
    for _ in range(count):
        x, y = rng.uniform(-200, 4200, 2)
        size = rng.choice([0.4, 3.0, 40.0, 300.0])
        angles = np.sort(rng.uniform(0, 2 * np.pi, int(rng.integers(3, 12))))
        ring = np.column_stack([x + size * np.cos(angles), y + size * np.sin(angles)])
        polygon = shapely.Polygon(ring)
        if rng.random() < 0.2:
            polygon = shapely.Polygon(ring, [shapely.box(x - size / 4, y - size / 4, x + size / 4,
                                                         y + size / 4).exterior.coords])
        if rng.random() < 0.15:
            polygon = shapely.MultiPolygon([polygon, shapely.box(x + 2 * size, y, x + 3 * size,
                                                                 y + size)])
        if rng.random() < 0.3:
            polygon = polygon.reverse()
        shapes.append(polygon)
    return shapes


def random_properties(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    """Columns of every kind the writer meets: ints, floats with NaN, text with None/NaN, the
    hostile strings, numbers in a text column, large integers."""
    hostile = list(HOSTILE.values())
    codes = np.array([None if rng.random() < 0.1 else hostile[i % len(hostile)] if i % 5 == 0
                      else f"G({i % 7})-{i}" for i in range(count)], dtype=object)
    uses = np.array([rng.choice(["100101", "0901", "07", None, np.nan, 14, "14", "花山区"])
                     for _ in range(count)], dtype=object)
    area = np.round(rng.uniform(10, 90000, count), 2)
    area[rng.random(count) < 0.1] = np.nan
    area[rng.random(count) < 0.2] = 666.67  # repeated values share one entry
    area[rng.random(count) < 0.1] = 400.0  # a whole number, still a double
    return {"id": np.arange(count, dtype=np.int64) * 3 + 1, "code": codes, "land_use": uses,
            "status": np.array(["available"] * count, dtype=object), "area_m2": area,
            "whole": rng.integers(-2**40, 2**40, count)}


def parsed_tile(data: bytes):
    tile = vector_tile_pb2.tile()
    tile.ParseFromString(data)
    assert len(tile.SerializeToString()) == len(data)  # nothing protobuf does not know of
    return tile


def parsed_layer(data: bytes):
    (layer,) = parsed_tile(data).layers
    return layer


def attribute_value(value) -> object:
    return next(getattr(value, field) for field in ("string_value", "double_value", "int_value")
                if value.HasField(field))


def assert_tile_matches_reference(data: bytes, ids, geometries, properties, scale=1.0,
                                  offset=(0.0, 0.0)) -> None:
    """Every feature the reference keeps is in the tile, in order, with its id, its exact
    geometry commands and its attribute values; no other feature is; the values table is the
    reference's, byte for byte."""
    layer = parsed_layer(data)
    expected = [(i, commands) for i, g in enumerate(geometries)
                if (commands := feature_commands(g, scale, offset))]
    assert (layer.name, layer.version, layer.extent) == ("parcels", 2, 4096)
    assert [f.id for f in layer.features] == [int(ids[i]) % 2**64 for i, _ in expected]
    assert [list(f.geometry) for f in layer.features] == [c for _, c in expected]
    assert list(layer.keys) == list(properties)
    values, tags = reference_values(properties, [i for i, _ in expected])
    assert values in data
    assert [list(f.tags) for f in layer.features] == [
        [t for k in range(0, len(row), 2) if row[k + 1] >= 0 for t in row[k:k + 2]]
        for row in tags]
    for feature, (i, _) in zip(layer.features, expected, strict=True):
        assert feature.type == vector_tile_pb2.tile.Polygon
        got = {layer.keys[k]: attribute_value(layer.values[v])
               for k, v in zip(feature.tags[::2], feature.tags[1::2], strict=True)}
        want = {}
        for key, column in properties.items():
            value, kind = column[i], np.asarray(column).dtype.kind
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            want[key] = float(value) if kind == "f" else int(value) if kind in "iu" else str(
                value)  # other columns are written as text
        assert got == want


@pytest.mark.parametrize("seed", range(40))
def test_compiled_writer_matches_the_reference_on_random_tiles(seed):
    rng = np.random.default_rng(seed)
    count = LAYER_SIZES[seed % len(LAYER_SIZES)]
    geometries = np.array(random_polygons(rng, count), dtype=object)
    properties = random_properties(rng, count)
    ids = properties["id"] * (1 if seed % 3 else -1)  # negative ids are written as uint64
    scale, offset = (1.0, (0.0, 0.0)) if seed % 2 else (0.731, (-12.5, 3000.25))
    data = write(ids, geometries, properties, scale, offset)
    assert_tile_matches_reference(data, ids, geometries, properties, scale, offset)


@pytest.mark.parametrize("name", SPECIAL)
def test_compiled_writer_matches_the_reference_on_awkward_geometry(name):
    geometries = np.array([SPECIAL[name], SQUARE], dtype=object)
    properties = {"code": np.array([name, "square"], dtype=object)}
    ids = np.array([5, 9])
    data = write(ids, geometries, properties)
    assert_tile_matches_reference(data, ids, geometries, properties)
    assert 9 in {f["id"] for f in mapbox_vector_tile.decode(data)["parcels"]["features"]}


def test_compiled_writer_writes_an_empty_layer():
    empty = np.array([], dtype=object)
    data = write(np.array([], np.int64), empty, {"code": empty})
    layer = parsed_layer(data)
    assert (layer.name, len(layer.features), list(layer.keys), len(layer.values),
            layer.extent) == ("parcels", 0, ["code"], 0, 4096)


@pytest.mark.parametrize("count", [*LAYER_SIZES, 20_000])
def test_values_table_is_the_reference_at_every_layer_size(count):
    rng = np.random.default_rng(count)
    properties = random_properties(rng, count)
    properties["repeated"] = np.array([f"T{k}" for k in rng.integers(0, 3000, count)], object)
    kept = np.flatnonzero(rng.random(count) < 0.8)
    values, tags = layer_values(properties, kept)
    expected_values, expected_tags = reference_values(properties, kept)
    assert values.tobytes() == expected_values
    assert tags.tolist() == expected_tags
    assert tags.shape == (len(kept), 2 * len(properties))


def test_values_table_writes_unsigned_integers_and_booleans_as_the_reference():
    properties = {"n": np.array([7, 3, 7, 2**40], np.uint64),
                  "flag": np.array([True, False, True, True])}
    values, tags = layer_values(properties, np.arange(4))
    assert (values.tobytes(), tags.tolist()) == reference_values(properties, range(4))


def test_values_keep_awkward_texts_apart_and_whole():
    long_text = "花山区" * 50  # 450 UTF-8 bytes: a two-byte length
    texts = np.array(["", None, "金家庄街道", long_text, "", long_text + "x", "金家庄街道", 7, "7",
                      np.nan, HOSTILE["long_text"], HOSTILE["null_and_controls"]], dtype=object)
    values, tags = layer_values({"t": texts}, np.arange(len(texts)))
    layer = vector_tile_pb2.tile.layer()
    layer.ParseFromString(values.tobytes())
    assert [v.string_value for v in layer.values] == [
        "", "金家庄街道", long_text, long_text + "x", "7", HOSTILE["long_text"],
        HOSTILE["null_and_controls"]]
    assert tags[:, 1].tolist() == [0, -1, 1, 2, 0, 3, 1, 4, 4, -1, 5, 6]
