"""The plain-Python MVT writer for small tiles writes exactly the bytes of the numpy writer."""

import mapbox_vector_tile
import numpy as np
import pytest
import shapely

from webapp.tiles import mvt_writer
from webapp.tiles.mvt_small_writer import encode_small_layer
from webapp.tiles.mvt_writer import SMALL_LAYER_FEATURES, encode_bulk_layer, encode_polygon_layer

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
    """Columns of every kind the writers meet: ints, floats with NaN, text with None/NaN."""
    codes = np.array([None if rng.random() < 0.1 else f"G({i % 7})-{i}" for i in range(count)],
                     dtype=object)
    uses = np.array([rng.choice(["100101", "0901", "07", None, np.nan, 14])
                     for _ in range(count)], dtype=object)
    area = np.round(rng.uniform(10, 90000, count), 2)
    area[rng.random(count) < 0.1] = np.nan
    area[rng.random(count) < 0.2] = 666.67  # repeated values share one entry
    return {"id": np.arange(count, dtype=np.int64) * 3 + 1, "code": codes, "land_use": uses,
            "status": np.array(["available"] * count, dtype=object), "area_m2": area,
            "whole": rng.integers(0, 2**40, count)}


@pytest.mark.parametrize("seed", range(40))
def test_small_writer_bytes_equal_the_numpy_writer_on_random_tiles(seed):
    rng = np.random.default_rng(seed)
    count = int(rng.integers(0, SMALL_LAYER_FEATURES + 1))
    geometries = np.array(random_polygons(rng, count), dtype=object)
    properties = random_properties(rng, count)
    ids = properties["id"]
    scale, offset = (1.0, (0.0, 0.0)) if seed % 2 else (0.731, (-12.5, 3000.25))
    small = encode_small_layer("parcels", 4096, ids, geometries, properties, scale, offset)
    assert small == encode_bulk_layer("parcels", 4096, ids, geometries, properties, scale,
                                      offset)


@pytest.mark.parametrize("name", SPECIAL)
def test_small_writer_bytes_equal_the_numpy_writer_on_awkward_geometry(name):
    geometries = np.array([SPECIAL[name], SQUARE], dtype=object)
    properties = {"code": np.array([name, "square"], dtype=object)}
    ids = np.array([5, 9])
    small = encode_small_layer("parcels", 4096, ids, geometries, properties)
    assert small == encode_bulk_layer("parcels", 4096, ids, geometries, properties)
    assert 9 in {f["id"] for f in mapbox_vector_tile.decode(small)["parcels"]["features"]}


def test_small_writer_empty_layer_equals_the_numpy_writer():
    empty = np.array([], dtype=object)
    assert (encode_small_layer("parcels", 4096, np.array([], np.int64), empty, {"code": empty})
            == encode_bulk_layer("parcels", 4096, np.array([], np.int64), empty,
                                 {"code": empty}))


@pytest.mark.parametrize(("count", "writer"), [(1, "small"), (SMALL_LAYER_FEATURES, "small"),
                                               (SMALL_LAYER_FEATURES + 1, "bulk")])
def test_polygon_layer_picks_the_writer_by_feature_count(monkeypatch, count, writer):
    called = []
    monkeypatch.setattr(mvt_writer, "encode_small_layer", lambda *a: called.append("small"))
    monkeypatch.setattr(mvt_writer, "encode_bulk_layer", lambda *a: called.append("bulk"))
    encode_polygon_layer("parcels", 4096, np.arange(count),
                         np.array([SQUARE] * count, dtype=object), {})
    assert called == [writer]
