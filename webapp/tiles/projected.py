"""Parcel geometry prepared for tiles: Web Mercator metres (EPSG:3857), simplified per zoom band.

Tiles of zooms 0-11, 12-14 and 15+ read band 0, 1 and 2. Each band is simplified with half the
finest tolerance the tile encoder applies inside it, so the encoder's own simplification still
decides what a tile shows; the last band is exact. Plain plots (at most SIMPLE_VERTICES
coordinates) are exact in every band, as the encoder never simplifies them either.
"""

import numpy as np
import shapely

from webapp.tiles import context_mvt
from webapp.tiles.grid import TileAddress
from webapp.tiles.mercator import WORLD_M, mercator_polygons, tile_corner_m
from webapp.tiles.mvt import EXTENT, SIMPLE_VERTICES, encode_mercator_tile, simplify_tolerance

BAND_MAX_ZOOM = (11, 14, None)  # deepest zoom served by each band (None: every deeper zoom)


def band_of_zoom(z: int) -> int:
    """The geometry band tiles of zoom z read."""
    return next(i for i, top in enumerate(BAND_MAX_ZOOM) if top is None or z <= top)


def band_tolerance_m(band: int) -> float:
    """Simplification applied to a band at load time, metres (0 for the exact band)."""
    top = BAND_MAX_ZOOM[band]
    if top is None:
        return 0.0
    return 0.5 * simplify_tolerance(top) * WORLD_M / ((1 << top) * EXTENT)


def mercator_geometries(geometries_4326: np.ndarray) -> list[np.ndarray]:
    """Lon/lat geometries as Web Mercator geometries of each band (one-part MultiPolygons as
    Polygons). Plain plots of at most SIMPLE_VERTICES coordinates are not simplified, as the
    tile encoder leaves them alone too (half the time of preparing a district of them)."""
    projected = mercator_polygons(geometries_4326)
    detailed = shapely.get_num_coordinates(projected) > SIMPLE_VERTICES
    bands = []
    for band in range(len(BAND_MAX_ZOOM)):
        tolerance = band_tolerance_m(band)
        if not tolerance or not detailed.any():
            bands.append(projected)
            continue
        simplified = projected.copy()
        simplified[detailed] = shapely.simplify(projected[detailed], tolerance,
                                                preserve_topology=True)
        bands.append(simplified)
    return bands


def warm_up() -> None:
    """Compile the tile writer's loops, or load them from numba's disk cache (a server calls this
    before its first request, and before it forks workers): one small tile with a plain plot,
    a plot across the tile's edge and a detailed outline; then a context tile (context_mvt)."""
    tile = TileAddress(16, 54_000, 26_000)
    west, north = tile_corner_m(tile)
    plots = [shapely.box(west + 10, north - 40, west + 30, north - 20),
             shapely.box(west - 20, north - 40, west + 30, north - 20),
             shapely.Point(west + 100, north - 100).buffer(30)]
    rows = {"fid": np.arange(3, dtype=np.int64), "code": np.array(["a", "b", "c"], object),
            "land_use": np.array(["0701"] * 3, object), "status": np.array([None] * 3, object),
            "area_m2": np.array([400.0, 1000.0, 2827.4]), "wkb": shapely.to_wkb(plots)}
    encode_mercator_tile(rows, tile)
    context_mvt.warm_up()
