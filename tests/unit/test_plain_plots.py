"""Plain plots straight from WKB (compiled) against shapely's clip of the same geometry.

webapp.tiles.mvt.mercator_commands writes most close-up features without shapely: plain
plots inside the tile as they are, convex ones crossing its edge cut by Sutherland-Hodgman. The
tiles must show what GEOS's clip_by_rect gives; everything else must go the general way.
"""

import mapbox_vector_tile
import numpy as np
import pytest
import shapely

from webapp.tiles import compiled_commands
from webapp.tiles.mvt import SIMPLE_VERTICES, clip_to_rect, mercator_commands
from webapp.tiles.mvt_geometry import polygon_commands
from webapp.tiles.mvt_writer import encode_layer

RECT = (-64.0, -64.0, 4160.0, 4160.0)  # the buffered tile, in tile units (y up here)
SCALE, OFFSET = 1.0, (0.0, 4096.0)  # y up to y down, as the Web Mercator tiles are


def shapes_of(commands) -> dict[int, object]:
    """Each feature's decoded geometry (y up again), by its position."""
    count = len(commands[1])
    data = encode_layer("t", 4096, np.arange(count), commands, {})
    layer = mapbox_vector_tile.decode(data, default_options={"y_coord_down": False})
    return {f["id"]: shapely.geometry.shape(f["geometry"]) for f in
            layer.get("t", {"features": []})["features"]}


def shapely_way(geometries: np.ndarray) -> dict[int, object]:
    return shapes_of(polygon_commands(clip_to_rect(geometries, *RECT), SCALE, OFFSET))


def compiled_way(geometries: np.ndarray) -> tuple[dict[int, object], np.ndarray]:
    blobs = shapely.to_wkb(geometries)
    data = np.frombuffer(b"".join(blobs.tolist()), np.uint8)
    ends = np.cumsum([len(b) for b in blobs.tolist()]).astype(np.int64)
    commands = compiled_commands().plain_plot_commands(data, ends, SIMPLE_VERTICES, *RECT, SCALE,
                                                    *OFFSET)
    return shapes_of(commands[:3]), commands[3]


def random_plain_plots(rng: np.random.Generator, count: int) -> list:
    """Convex plots of 3-5 corners anywhere around the tile: inside, across an edge or a
    corner, outside, tiny, some wound clockwise."""
    plots = []
    for _ in range(count):
        cx, cy = rng.uniform(-800, 4900, 2)
        radius = rng.choice([0.3, 40.0, 400.0, 3000.0])
        angles = np.sort(rng.uniform(0, 2 * np.pi, int(rng.integers(3, 6))))
        ring = np.column_stack([cx + radius * np.cos(angles), cy + radius * np.sin(angles)])
        plot = shapely.Polygon(ring)
        plots.append(plot.reverse() if rng.random() < 0.3 else plot)
    return plots


def assert_same_shapes(got: dict, expected: dict) -> None:
    assert got.keys() == expected.keys()
    for i, shape in expected.items():  # points may start elsewhere or round the other way
        assert got[i].symmetric_difference(shape).area <= 2.0, (i, got[i], shape)


@pytest.mark.parametrize("seed", range(20))
def test_convex_plain_plots_are_cut_as_shapely_cuts_them(seed):
    geometries = np.array(random_plain_plots(np.random.default_rng(seed), 60), dtype=object)
    got, others = compiled_way(geometries)
    assert not others.any()
    assert_same_shapes(got, shapely_way(geometries))


AWKWARD = {
    "on the edge": shapely.box(-64, 100, 200, 300),
    "along the edge outside": shapely.box(-200, 100, -64, 300),
    "corner only": shapely.Polygon([(4160, 4160), (4300, 4160), (4300, 4300)]),
    "whole tile and more": shapely.box(-5000, -5000, 9000, 9000),
    "zero area": shapely.Polygon([(-100, 10), (100, 10), (300, 10), (-100, 10)]),
    "diagonal beside the corner": shapely.Polygon([(-300, 0), (0, -300), (-300, -300)]),
}


@pytest.mark.parametrize("name", AWKWARD)
def test_awkward_plain_plots_are_cut_as_shapely_cuts_them(name):
    geometries = np.array([AWKWARD[name], shapely.box(10, 10, 20, 20)], dtype=object)
    got, others = compiled_way(geometries)
    assert not others.any()
    assert_same_shapes(got, shapely_way(geometries))


OTHERS = {
    "concave across the edge": shapely.Polygon([(-100, 0), (300, 0), (0, 100), (300, 200),
                                                (-100, 200)]),
    "star across the edge": shapely.Polygon(
        [(np.cos(a) * 300 - 100, np.sin(a) * 300) for a in np.arange(5) * 4 * np.pi / 5]),
    "hole": shapely.Polygon(shapely.box(0, 0, 100, 100).exterior.coords,
                            [shapely.box(10, 10, 20, 20).exterior.coords]),
    "multipolygon": shapely.MultiPolygon([shapely.box(0, 0, 9, 9), shapely.box(20, 20, 29, 29)]),
    "detailed": shapely.Point(500, 500).buffer(100, 4),
}


@pytest.mark.parametrize("name", OTHERS)
def test_other_geometry_is_left_to_shapely(name):
    geometries = np.array([shapely.box(10, 10, 20, 20), OTHERS[name]], dtype=object)
    _, others = compiled_way(geometries)
    assert others.tolist() == [False, True]


def test_concave_plot_inside_the_tile_needs_no_cut():
    arrow = shapely.Polygon([(100, 100), (300, 100), (200, 150), (300, 200), (100, 200)])
    got, others = compiled_way(np.array([arrow], dtype=object))
    assert not others.any()
    assert_same_shapes(got, shapely_way(np.array([arrow], dtype=object)))


def test_big_endian_and_3d_wkb_are_left_to_shapely():
    square = shapely.box(10, 10, 20, 20)
    blobs = [shapely.to_wkb(square, byte_order=0), shapely.to_wkb(
        shapely.force_3d(square), output_dimension=3), shapely.to_wkb(square)]
    data = np.frombuffer(b"".join(blobs), np.uint8)
    ends = np.cumsum([len(b) for b in blobs]).astype(np.int64)
    *_, others = compiled_commands().plain_plot_commands(data, ends, SIMPLE_VERTICES, *RECT, SCALE,
                                                      *OFFSET)
    assert others.tolist() == [True, True, False]


def test_mercator_commands_mix_both_ways_in_feature_order():
    geometries = np.array([OTHERS["concave across the edge"], shapely.box(-100, 10, 50, 60),
                           OTHERS["detailed"], shapely.box(4000, 4000, 4100, 4100)],
                          dtype=object)
    commands = mercator_commands(shapely.to_wkb(geometries), RECT, 1.0, SCALE, OFFSET)
    assert_same_shapes(shapes_of(commands), shapely_way(geometries))
