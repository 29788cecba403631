"""The WebMercatorQuad grid: tile bounds, the tile of a point, limits, and out-of-range tiles."""

import pytest

from webapp.tiles.grid import (
    MAX_LATITUDE,
    TileAddress,
    TileNotFoundError,
    tile_bounds,
    tile_containing,
    tile_limits,
)


def test_tile_grid_zoom_0_covers_the_world():
    assert tile_bounds(TileAddress(0, 0, 0)) == pytest.approx(
        (-180, -MAX_LATITUDE, 180, MAX_LATITUDE))


def test_tile_grid_row_0_is_the_north():
    west, south, east, north = tile_bounds(TileAddress(1, 0, 0))
    assert (west, south, east, north) == pytest.approx((-180, 0, 0, MAX_LATITUDE))


def test_tile_grid_known_tile_of_maanshan():
    # (118.51 E, 31.70 N) at z12 is column 3396, row 1667 (checked against the grid formulas).
    assert tile_containing(118.51, 31.70, 12) == TileAddress(12, 3396, 1667)


def test_tile_grid_point_lies_in_its_tile():
    west, south, east, north = tile_bounds(tile_containing(118.51, 31.70, 17))
    assert west <= 118.51 < east and south < 31.70 <= north


def test_tile_grid_buffer_widens_the_bounds():
    tile = TileAddress(10, 849, 416)
    plain, buffered = tile_bounds(tile), tile_bounds(tile, 0.5)
    assert buffered[0] < plain[0] and buffered[2] > plain[2] and buffered[1] < plain[1]


def test_tile_grid_limits_of_a_small_area_are_one_tile():
    tile = tile_containing(118.51, 31.70, 14)
    assert tile_limits((118.5099, 31.6999, 118.5101, 31.7001), 14) == {
        "minTileRow": tile.y, "maxTileRow": tile.y, "minTileCol": tile.x, "maxTileCol": tile.x}


@pytest.mark.parametrize("z, x, y", [(-1, 0, 0), (25, 0, 0), (0, 1, 0), (0, 0, 1), (2, 4, 0),
                                     (2, 0, -1)])
def test_tile_grid_outside_is_not_found(z, x, y):
    with pytest.raises(TileNotFoundError):
        TileAddress(z, x, y)
