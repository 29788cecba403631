"""Context tiles (points, lines, polygons) decoded by mapbox-vector-tile and compared to their
input, projected to tile units independently (pyproj); the command streams checked against the
MVT 2.1 geometry rules and the spec's own examples."""

import math
import subprocess
import sys
from pathlib import Path

import mapbox_vector_tile
import numpy as np
import pytest
import shapely
from mapbox_vector_tile.Mapbox import vector_tile_pb2
from pyproj import Transformer

from tests.hostile import HOSTILE
from webapp.domain.context import ContextFeature
from webapp.store.context_store import CONTEXT_TILE_ATTRIBUTES, CONTEXT_TILE_LAYER
from webapp.tiles.context_mvt import encode_context_tile
from webapp.tiles.grid import TileAddress, tile_containing
from webapp.tiles.mvt_geometry import line_commands, point_commands

TILE = tile_containing(118.51, 31.70, 16)
EXTENT, BUFFER = 4096, 64
LOW, HIGH = -BUFFER, EXTENT + BUFFER  # the buffered tile, tile units
KINDS = {"interchanges": "interchange", "roads": "national_road", "belt": "riverside_belt",
         "stations": "station", "banks": "riverbank"}
TO_LONLAT = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)
HALF_WORLD_M = math.pi * 6378137.0

SQUARE = shapely.box(1000, 1000, 2000, 2000)
WITH_HOLE = shapely.Polygon(SQUARE.exterior.coords, [shapely.box(1200, 1200, 1500, 1500)
                                                     .exterior.coords])
SHAPES = {
    "point": shapely.Point(25, 17),
    "multipoint": shapely.MultiPoint([(5, 7), (3, 2), (4000, 4090)]),
    "line": shapely.LineString([(2, 2), (2, 10), (10, 10)]),
    "multiline": shapely.MultiLineString([[(2, 2), (2, 10), (10, 10)], [(1, 1), (3, 5)]]),
    "long-line": shapely.LineString([(100 + 37 * i, 200 + (i % 2) * 50) for i in range(100)]),
    "polygon": SQUARE,
    "polygon-with-hole": WITH_HOLE,
    "polygon-with-hole-reversed": WITH_HOLE.reverse(),
    "multipolygon": shapely.MultiPolygon([WITH_HOLE, shapely.box(3000, 3000, 3500, 3200)]),
}


def to_lonlat(geometry, tile: TileAddress = TILE):
    """A geometry in the tile's units (y down) in lon/lat, through pyproj's Web Mercator."""
    size_m = 2 * HALF_WORLD_M / (1 << tile.z)
    west, north = tile.x * size_m - HALF_WORLD_M, HALF_WORLD_M - tile.y * size_m

    def project(units: np.ndarray) -> np.ndarray:
        lon, lat = TO_LONLAT.transform(west + units[:, 0] * size_m / EXTENT,
                                       north - units[:, 1] * size_m / EXTENT)
        return np.column_stack((lon, lat))

    return shapely.transform(geometry, project)


def feature(geometry_units, fid=1, layer="roads", name=None, feature_class=None,
            tile=TILE) -> ContextFeature:
    geometry = None if geometry_units is None else to_lonlat(geometry_units, tile)
    return ContextFeature(fid, layer, name, feature_class, geometry)


def decoded(data: bytes) -> list[dict]:
    layers = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})
    return layers.get(CONTEXT_TILE_LAYER, {"features": []})["features"]


def parsed_layer(data: bytes):
    tile = vector_tile_pb2.tile()
    tile.ParseFromString(data)
    assert len(tile.SerializeToString()) == len(data)
    (layer,) = tile.layers
    return layer


def shape_of(decoded_feature: dict):
    return shapely.geometry.shape(decoded_feature["geometry"])


def zigzag_back(value: int) -> int:
    return (value >> 1) ^ -(value & 1)


def check_commands(geometry_type: int, commands: list[int]) -> None:
    """The command stream follows MVT 2.1 section 4.3 for its geometry type."""
    i, moves = 0, []
    while i < len(commands):
        command, count = commands[i] & 7, commands[i] >> 3
        i += 1
        if command == 7:
            assert geometry_type == 3 and count == 1 and moves[-1:] == ["line"]
            moves.append("close")
            continue
        pairs = [(zigzag_back(commands[i + 2 * k]), zigzag_back(commands[i + 2 * k + 1]))
                 for k in range(count)]
        i += 2 * count
        assert count > 0
        if command == 1:
            assert geometry_type == 1 or count == 1
            assert geometry_type != 1 or not moves  # a point feature is one MoveTo
            assert not moves or moves[-1] in ("line", "close")
            moves.append("move")
        else:
            assert command == 2 and moves[-1:] == ["move"]
            assert count > (1 if geometry_type == 3 else 0)
            assert all(pair != (0, 0) for pair in pairs)  # no zero-length segment
            moves.append("line")
    assert moves, "a kept feature has geometry"
    assert moves[-1] == {1: "move", 2: "line", 3: "close"}[geometry_type]


@pytest.mark.parametrize("name", SHAPES)
def test_context_tile_geometry_decodes_to_its_input(name):
    (got,) = decoded(encode_context_tile([feature(SHAPES[name])], KINDS, TILE))
    assert got["geometry"]["type"] == SHAPES[name].geom_type
    assert shape_of(got).equals(SHAPES[name])


@pytest.mark.parametrize("name", SHAPES)
def test_context_tile_geometry_is_what_mapbox_vector_tile_writes(name):
    oracle = mapbox_vector_tile.encode(
        {"name": CONTEXT_TILE_LAYER, "features": [{"geometry": SHAPES[name], "properties": {}}]},
        default_options={"extents": EXTENT, "y_coord_down": True})
    (theirs,) = decoded(oracle)
    (ours,) = decoded(encode_context_tile([feature(SHAPES[name])], KINDS, TILE))
    assert ours["geometry"]["type"] == theirs["geometry"]["type"]
    assert shape_of(ours).equals(shape_of(theirs))


def test_context_tile_feature_types_are_point_line_polygon():
    features = [feature(SHAPES[name], fid=k) for k, name in enumerate(
        ["point", "multipoint", "line", "multiline", "polygon", "multipolygon"])]
    layer = parsed_layer(encode_context_tile(features, KINDS, TILE))
    assert [f.type for f in layer.features] == [1, 1, 2, 2, 3, 3]
    for f in layer.features:
        check_commands(f.type, list(f.geometry))


@pytest.mark.parametrize(("shape", "commands"), [
    (shapely.Point(25, 17), [9, 50, 34]),
    (shapely.MultiPoint([(5, 7), (3, 2)]), [17, 10, 14, 3, 9]),
    (shapely.LineString([(2, 2), (2, 10), (10, 10)]), [9, 4, 4, 18, 0, 16, 16, 0]),
    (SHAPES["multiline"], [9, 4, 4, 18, 0, 16, 16, 0, 9, 17, 17, 10, 4, 8]),
], ids=["point", "multipoint", "line", "multiline"])
def test_line_and_point_commands_are_the_spec_examples(shape, commands):
    encode = point_commands if shape.geom_type.endswith("Point") else line_commands
    data, start, end = encode(np.array([shape], dtype=object))
    assert data[start[0]:end[0]].tolist() == commands


def test_line_commands_leave_out_repeated_points_and_collapsed_lines():
    shapes = np.array([shapely.LineString([(0, 0), (0.2, 0.1), (0.4, 0.3)]),
                       shapely.LineString([(0, 0), (0, 0), (0.3, 0), (5, 0), (5, 0.2)])],
                      dtype=object)
    data, start, end = line_commands(shapes)
    assert start[0] == end[0]  # every point rounds to (0, 0): nothing left
    assert data[start[1]:end[1]].tolist() == [9, 0, 0, 10, 10, 0]


def test_context_tile_line_crossing_the_edge_is_clipped_to_the_buffer():
    road = shapely.LineString([(-3000, 1000), (2000, 1500), (2500, 9000)])
    (got,) = decoded(encode_context_tile([feature(road)], KINDS, TILE))
    assert got["geometry"]["type"] == "LineString"
    coordinates = np.array(got["geometry"]["coordinates"])
    assert coordinates.min() >= LOW and coordinates.max() <= HIGH
    assert coordinates[0][0] == LOW and coordinates[-1][1] == HIGH  # cut at the buffer's edge
    expected = shapely.clip_by_rect(road, LOW, LOW, HIGH, HIGH)
    assert shape_of(got).hausdorff_distance(expected) <= 1


def test_context_tile_line_leaving_and_entering_becomes_a_multiline():
    river_bank = shapely.LineString([(100, 100), (100, 6000), (3000, 6000), (3000, 100)])
    (got,) = decoded(encode_context_tile([feature(river_bank, layer="banks")], KINDS, TILE))
    assert got["geometry"]["type"] == "MultiLineString"
    expected = shapely.clip_by_rect(river_bank, LOW, LOW, HIGH, HIGH)
    assert shape_of(got).hausdorff_distance(expected) <= 1


def test_context_tile_polygon_crossing_the_edge_is_clipped_to_the_buffer():
    belt = shapely.Polygon([(-5000, -5000), (2000, -5000), (2000, 9000), (-5000, 9000)],
                           [[(500, 500), (1000, 500), (1000, 1000), (500, 1000)]])
    (got,) = decoded(encode_context_tile([feature(belt, layer="belt")], KINDS, TILE))
    expected = shapely.clip_by_rect(belt, LOW, LOW, HIGH, HIGH)
    assert shape_of(got).symmetric_difference(expected).area <= 0.01 * expected.area
    assert len(shape_of(got).interiors) == 1


def test_context_tile_keeps_points_on_the_buffer_edge_and_drops_those_beyond():
    stations = shapely.MultiPoint([(LOW, 100), (HIGH, HIGH), (LOW - 2, 100), (100, HIGH + 2),
                                   (300, 300)])
    (got,) = decoded(encode_context_tile([feature(stations, layer="stations")], KINDS, TILE))
    assert got["geometry"]["coordinates"] == [[LOW, 100], [HIGH, HIGH], [300, 300]]


def test_context_tile_drops_features_outside_and_keeps_the_order():
    far_away = shapely.Point(2048, 2048)
    features = [feature(SHAPES["line"], fid=30), feature(None, fid=31),
                feature(shapely.Point(-500, 2000), fid=32, layer="interchanges"),
                feature(shapely.LineString([(5000, 0), (9000, 4000)]), fid=33),
                feature(shapely.box(-900, 100, -100, 900), fid=34, layer="belt"),
                ContextFeature(35, "stations", "远处", None, to_lonlat(far_away, TileAddress(
                    16, TILE.x + 40, TILE.y + 40))),
                feature(SHAPES["point"], fid=36, layer="interchanges"),
                feature(SHAPES["polygon"], fid=37, layer="belt"),
                feature(shapely.Point(), fid=38, layer="stations"),
                feature(shapely.LineString(), fid=39), feature(shapely.Polygon(), fid=40),
                feature(shapely.LineString([(7, 7), (7.2, 7.1)]), fid=41),  # one point rounded
                ContextFeature(42, "roads", None, None, shapely.force_3d(  # 3-D: as 2-D
                    to_lonlat(shapely.LineString([(2, 2), (30, 2)])), 9.0))]
    assert [f["id"] for f in decoded(encode_context_tile(features, KINDS, TILE))] == [
        30, 36, 37, 42]


@pytest.mark.parametrize("features", [[], [feature(shapely.Point(9000, 9000))]],
                         ids=["none-given", "none-inside"])
def test_context_tile_without_features_is_a_valid_empty_tile(features):
    layer = parsed_layer(encode_context_tile(features, KINDS, TILE))
    assert (layer.name, layer.version, layer.extent, len(layer.features)) == (
        CONTEXT_TILE_LAYER, 2, EXTENT, 0)
    assert decoded(encode_context_tile(features, KINDS, TILE)) == []


def test_context_tile_attributes_leave_out_none_and_keep_chinese_text():
    features = [feature(SHAPES["point"], fid=7, layer="interchanges", name="马鞍山东",
                        feature_class="互通立交"),
                feature(SHAPES["line"], fid=8, name="G205", feature_class=None),
                feature(SHAPES["polygon"], fid=2**40, layer="belt"),
                feature(SHAPES["point"], fid=9, layer="unlisted", name="无类型")]
    got = {f["id"]: f["properties"] for f in decoded(encode_context_tile(features, KINDS, TILE))}
    assert got == {
        7: {"id": 7, "layer": "interchanges", "kind": "interchange", "name": "马鞍山东",
            "class": "互通立交"},
        8: {"id": 8, "layer": "roads", "kind": "national_road", "name": "G205"},
        2**40: {"id": 2**40, "layer": "belt", "kind": "riverside_belt"},
        9: {"id": 9, "layer": "unlisted", "name": "无类型"}}
    assert list(parsed_layer(encode_context_tile(features, KINDS, TILE)).keys) == list(
        CONTEXT_TILE_ATTRIBUTES)


def test_context_tile_attributes_carry_hostile_text_unchanged():
    features = [feature(SHAPES["point"], fid=k, name=text, feature_class=text[::-1])
                for k, text in enumerate(HOSTILE.values())]
    got = [f["properties"] for f in decoded(encode_context_tile(features, KINDS, TILE))]
    assert [(p["name"], p["class"]) for p in got] == [(t, t[::-1]) for t in HOSTILE.values()]


def test_context_tile_geometry_collection_takes_its_layer_family():
    mixed = shapely.GeometryCollection([shapely.LineString([(10, 10), (300, 10)]),
                                        shapely.Point(50, 50)])
    (got,) = decoded(encode_context_tile([feature(mixed, layer="roads")], KINDS, TILE))
    assert got["geometry"] == {"type": "LineString", "coordinates": [[10, 10], [300, 10]]}


def test_context_tile_simplifies_lines_at_low_zoom():
    tile = tile_containing(118.51, 31.70, 12)
    wiggly = shapely.LineString([(100 + 10 * i, 2000 + (i % 2) * 1.5) for i in range(300)])
    (got,) = decoded(encode_context_tile([feature(wiggly, tile=tile)], KINDS, tile))
    assert len(got["geometry"]["coordinates"]) < 10
    assert shape_of(got).hausdorff_distance(wiggly) <= 4  # the z12 tolerance, tile units


def random_features(rng: np.random.Generator, count: int, tile: TileAddress) -> list:
    """Points, lines and polygons in and around the tile, some multi-part (tile units)."""
    features = []
    for k in range(count):
        x, y = rng.uniform(-1500, 5500, 2)
        family = k % 3
        if family == 0:
            geometry = shapely.MultiPoint(rng.uniform(-500, 4500, (int(rng.integers(1, 4)), 2)))
        elif family == 1:
            steps = rng.normal(0, 400, (int(rng.integers(2, 40)), 2)).cumsum(axis=0)
            geometry = shapely.LineString(steps + np.array([x, y]))
        else:
            geometry = shapely.Point(x, y).buffer(rng.uniform(5, 900), int(rng.integers(1, 8)))
        layer = ("stations", "roads", "belt")[family]
        features.append(feature(geometry, fid=k, layer=layer, name=f"F{k}", tile=tile))
    return features


@pytest.mark.parametrize("z", [12, 14, 17])
def test_context_tile_random_features_follow_the_spec_and_their_input(z):
    tile = tile_containing(118.51, 31.70, z)
    features = random_features(np.random.default_rng(z), 300, tile)
    data = encode_context_tile(features, KINDS, tile)
    layer = parsed_layer(data)
    for f in layer.features:
        check_commands(f.type, list(f.geometry))
    tolerance = 8 if z < 12 else 4 if z < 15 else 1
    rect = shapely.box(LOW, LOW, HIGH, HIGH)
    back = {f.id: shapely.transform(f.geometry, lambda xy, t=tile: project_back(xy, t))
            for f in features}
    got = {f["id"]: shape_of(f) for f in decoded(data)}
    for fid, shape in got.items():  # simplified (past 6 coordinates), clipped, rounded; a tie
        # in Douglas-Peucker may keep another vertex in metres than in tile units
        simplified = (shapely.simplify(back[fid], tolerance, preserve_topology=False)
                      if shapely.get_num_coordinates(back[fid]) > 6 else back[fid])
        assert shape.hausdorff_distance(shapely.intersection(simplified, rect)) <= tolerance + 1
    missing = [fid for fid, g in back.items() if fid not in got and g.intersects(rect)]
    assert all(shapely.intersection(back[fid], rect).area < 10 for fid in missing)
    assert all(features[fid].layer == "belt" for fid in missing)  # points and lines all kept


def project_back(lonlat: np.ndarray, tile: TileAddress) -> np.ndarray:
    """Lon/lat to the tile's units (y down), through pyproj."""
    x, y = TO_LONLAT.transform(lonlat[:, 0], lonlat[:, 1], direction="INVERSE")
    size_m = 2 * HALF_WORLD_M / (1 << tile.z)
    return np.column_stack(((x + HALF_WORLD_M - tile.x * size_m) / size_m * EXTENT,
                            (HALF_WORLD_M - tile.y * size_m - y) / size_m * EXTENT))


def test_context_mvt_imports_before_the_store_package():
    """The stores' tile() call the encoder, and webapp.store's package imports the stores: the
    encoder must not need webapp.store while it is imported."""
    code = ("import webapp.tiles.context_mvt, webapp.store, webapp.store.context_store; "
            "print(webapp.tiles.context_mvt.encode_context_tile.__name__)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2], timeout=120, check=False)
    assert (result.returncode, result.stdout.strip()) == (0, "encode_context_tile"), (
        result.stderr)


def test_warm_up_compiles_the_context_loops_tiles_then_use():
    """After projected.warm_up() (which a server runs before its first request), context tiles
    of every family, and an empty one, compile nothing more."""
    code = """
import shapely
from webapp.domain.context import ContextFeature
from webapp.tiles import compiled_commands, compiled_messages, projected
from webapp.tiles.context_mvt import encode_context_tile
from webapp.tiles.grid import tile_containing
projected.warm_up()
loops = [getattr(module, name) for module, names in (
    (compiled_commands(), ["geometry_commands", "line_commands", "point_commands"]),
    (compiled_messages(), ["values_table", "layer_message"])) for name in names]
warm = [len(loop.signatures) for loop in loops]
features = [ContextFeature(1, "roads", None, None, shapely.MultiLineString(
                [[(118.50, 31.69), (118.52, 31.71)], [(118.5, 31.71), (118.52, 31.69)]])),
            ContextFeature(2, "ports", "港", "x", shapely.MultiPoint([(118.51, 31.70)] * 2)),
            ContextFeature(3, "belt", "带", None, shapely.box(118.4, 31.6, 118.6, 31.8))]
kinds = {"roads": "road", "ports": "port", "belt": "riverside_belt"}
for z in (10, 14, 18):
    encode_context_tile(features, kinds, tile_containing(118.51, 31.70, z))
encode_context_tile([], kinds, tile_containing(118.51, 31.70, 12))
print(warm, [len(loop.signatures) for loop in loops])
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2], timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[1, 1, 1, 1, 1] [1, 1, 1, 1, 1]"
