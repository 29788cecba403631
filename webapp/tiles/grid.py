"""The WebMercatorQuad tile grid (OGC 17-083r4, EPSG:3857): tile address ↔ bounds, in lon/lat.

A tile is addressed as (z, row, col) by OGC API - Tiles and as z/x/y by Leaflet: row is y
(counted from the north), col is x (counted from the west).
"""

import math
from dataclasses import dataclass

from webapp.domain.errors import NotFoundError

MIN_ZOOM = 0
MAX_ZOOM = 24  # the deepest tile matrix WebMercatorQuad defines
MAX_LATITUDE = 85.0511287798066  # atan(sinh(π)): the grid's northern and southern edge
TILE_MATRIX_SET = "WebMercatorQuad"
TILE_MATRIX_SET_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
CRS_URI = "http://www.opengis.net/def/crs/EPSG/0/3857"


class TileNotFoundError(NotFoundError):
    """The tile matrix, row or column lies outside the WebMercatorQuad grid."""


@dataclass(frozen=True)
class TileAddress:
    """One tile: zoom level z, column x (from the west) and row y (from the north)."""

    z: int
    x: int
    y: int

    def __post_init__(self) -> None:
        if not MIN_ZOOM <= self.z <= MAX_ZOOM:
            raise TileNotFoundError(f"tile matrix {self.z} is outside {MIN_ZOOM}..{MAX_ZOOM}")
        size = 1 << self.z
        if not (0 <= self.x < size and 0 <= self.y < size):
            raise TileNotFoundError(f"tile {self.z}/{self.y}/{self.x} (z/row/col) is outside "
                                    f"the {size}×{size} tile matrix {self.z}")


def _lon_of_col(col: float, z: int) -> float:
    return col / (1 << z) * 360.0 - 180.0


def _lat_of_row(row: float, z: int) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / (1 << z)))))


def tile_bounds(tile: TileAddress, buffer: float = 0.0) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the tile in lon/lat; buffer is a fraction of the tile size."""
    return (_lon_of_col(tile.x - buffer, tile.z), _lat_of_row(tile.y + 1 + buffer, tile.z),
            _lon_of_col(tile.x + 1 + buffer, tile.z), _lat_of_row(tile.y - buffer, tile.z))


def _col_of_lon(lon: float, z: int) -> int:
    size = 1 << z
    return min(size - 1, max(0, math.floor((lon + 180.0) / 360.0 * size)))


def _row_of_lat(lat: float, z: int) -> int:
    size = 1 << z
    lat_rad = math.radians(max(-MAX_LATITUDE, min(MAX_LATITUDE, lat)))
    row = (1 - math.asinh(math.tan(lat_rad)) / math.pi) / 2 * size
    return min(size - 1, max(0, math.floor(row)))


def tile_containing(lon: float, lat: float, z: int) -> TileAddress:
    """The tile of zoom z that contains the point (lon/lat, CRS84)."""
    return TileAddress(z, _col_of_lon(lon, z), _row_of_lat(lat, z))


def tile_limits(bounds: tuple[float, float, float, float], z: int) -> dict[str, int]:
    """The rows and columns of zoom z that cover lon/lat bounds (OGC tileMatrixSetLimits)."""
    west, south, east, north = bounds
    return {"minTileRow": _row_of_lat(north, z), "maxTileRow": _row_of_lat(south, z),
            "minTileCol": _col_of_lon(west, z), "maxTileCol": _col_of_lon(east, z)}
