"""Web Mercator (EPSG:3857) metres: lon/lat geometry projected there, and where a tile lies."""

import math

import numpy as np
import shapely

from webapp.tiles.grid import MAX_LATITUDE, TileAddress

EARTH_RADIUS_M = 6378137.0
WORLD_M = 2 * math.pi * EARTH_RADIUS_M  # width of the Web Mercator world, metres
MULTIPOLYGON_TYPE_ID = 6  # shapely type id


def lonlat_to_mercator(lonlat: np.ndarray) -> np.ndarray:
    """Lon/lat coordinates (n × 2, degrees) as Web Mercator metres (latitude clipped to the
    grid's edge)."""
    lat = np.radians(np.clip(lonlat[:, 1], -MAX_LATITUDE, MAX_LATITUDE))
    return np.column_stack((np.radians(lonlat[:, 0]) * EARTH_RADIUS_M,
                            np.arcsinh(np.tan(lat)) * EARTH_RADIUS_M))


def mercator_polygons(geometries_4326: np.ndarray) -> np.ndarray:
    """Lon/lat geometries in Web Mercator metres, MultiPolygons of one part as that Polygon (tiles
    then need not split them into parts, and a plain plot reads as one)."""
    projected = shapely.transform(np.asarray(geometries_4326, dtype=object), lonlat_to_mercator)
    single = ((shapely.get_type_id(projected) == MULTIPOLYGON_TYPE_ID)
              & (shapely.get_num_geometries(projected) == 1))
    if single.any():
        projected[single] = shapely.get_geometry(projected[single], 0)
    return projected


def tile_corner_m(tile: TileAddress) -> tuple[float, float]:
    """The tile's north-west corner in Web Mercator metres (west, north)."""
    size_m = WORLD_M / (1 << tile.z)
    return tile.x * size_m - WORLD_M / 2, WORLD_M / 2 - tile.y * size_m
