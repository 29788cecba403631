"""MVT encoding: tile-local integer coordinates (y down), clipping, simplification, attributes."""

import mapbox_vector_tile
import numpy as np
import pytest
import shapely

from webapp.domain.parcel import Parcel
from webapp.tiles.grid import TileAddress, tile_bounds
from webapp.tiles.mvt import (
    BUFFER_UNITS,
    EXTENT,
    clip_to_rect,
    encode_parcel_tile,
    simplify_detailed,
    simplify_tolerance,
)

TILE = TileAddress(16, 54340, 26677)


def parcel_in(tile, fractions, **fields):
    """A parcel whose polygon covers the given (west, south, east, north) fractions of the tile."""
    west, south, east, north = tile_bounds(tile)
    fx0, fy0, fx1, fy1 = fractions
    box = shapely.box(west + fx0 * (east - west), south + fy0 * (north - south),
                      west + fx1 * (east - west), south + fy1 * (north - south))
    values = {"id": 7, "code": "G(2024)043", "land_use": "100101", "status": "available",
              "area_m2": 32917.914, "geometry": shapely.MultiPolygon([box])} | fields
    return Parcel(**values)


def decoded(data):
    return mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})


def ring_of(data):
    return decoded(data)["parcels"]["features"][0]["geometry"]["coordinates"][0]


def test_mvt_layer_and_attributes():
    feature = decoded(encode_parcel_tile([parcel_in(TILE, (0.25, 0.25, 0.75, 0.75))], TILE)
                      )["parcels"]["features"][0]
    assert feature["id"] == 7
    assert feature["properties"] == {"id": 7, "code": "G(2024)043", "land_use": "100101",
                                     "status": "available", "area_m2": 32917.91,
                                     "area_mu": 49.38}


def test_mvt_north_is_at_the_top_of_the_tile():
    ring = ring_of(encode_parcel_tile([parcel_in(TILE, (0.0, 0.75, 0.25, 1.0))], TILE))
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    assert (min(xs), max(xs), min(ys)) == (0, EXTENT // 4, 0)
    assert max(ys) == pytest.approx(EXTENT // 4, abs=1)


def test_mvt_clips_to_the_buffered_tile():
    ring = ring_of(encode_parcel_tile([parcel_in(TILE, (-3.0, -3.0, 4.0, 4.0))], TILE))
    assert {min(p[0] for p in ring), max(p[0] for p in ring)} == {-BUFFER_UNITS,
                                                                  EXTENT + BUFFER_UNITS}


def test_mvt_parcel_outside_the_tile_is_left_out():
    data = encode_parcel_tile([parcel_in(TILE, (3.0, 3.0, 4.0, 4.0))], TILE)
    assert decoded(data).get("parcels", {"features": []})["features"] == []


def test_mvt_parcel_smaller_than_a_tile_unit_is_left_out():
    data = encode_parcel_tile([parcel_in(TILE, (0.5, 0.5, 0.50001, 0.50001))], TILE)
    assert decoded(data).get("parcels", {"features": []})["features"] == []


def test_mvt_exterior_ring_is_clockwise_on_screen():
    ring = ring_of(encode_parcel_tile([parcel_in(TILE, (0.25, 0.25, 0.75, 0.75))], TILE))
    assert shapely.Polygon(ring).exterior.is_ccw  # counter-clockwise with y up = clockwise y down


def test_mvt_parcel_without_geometry_is_skipped():
    assert decoded(encode_parcel_tile([parcel_in(TILE, (0, 0, 1, 1), geometry=None)], TILE)) in (
        {}, {"parcels": {"extent": EXTENT, "version": 2, "type": "FeatureCollection",
                         "features": []}})


@pytest.mark.parametrize("z, tolerance", [(8, 8.0), (12, 4.0), (14, 4.0), (15, 1.0), (20, 1.0)])
def test_mvt_simplification_tolerance_shrinks_with_zoom(z, tolerance):
    assert simplify_tolerance(z) == tolerance


def test_clip_to_rect_clips_only_what_crosses_the_rectangle():
    inside, crossing = shapely.box(1, 1, 2, 2), shapely.box(3, 3, 12, 12)
    clipped = clip_to_rect(np.array([inside, crossing, None], dtype=object), 0, 0, 10, 10)
    assert clipped[0] is inside
    assert clipped[1].equals(shapely.box(3, 3, 10, 10))
    assert clipped[2] is None


def test_simplify_detailed_simplifies_rings_with_many_vertices_only():
    quad = shapely.Polygon([(0, 0), (10, 0), (10.2, 5), (10, 10), (0, 10)])
    wobbly = shapely.Polygon([(0, 0), (5, 0.1), (10, 0), (10.2, 5), (10, 10), (5, 9.9), (0, 10)])
    quad_out, wobbly_out = simplify_detailed(np.array([quad, wobbly], dtype=object), 1.0)
    assert quad_out is quad  # five corners: nothing to gain
    assert shapely.get_num_coordinates(wobbly_out) == 5
    assert wobbly_out.symmetric_difference(wobbly).area < 2.0
