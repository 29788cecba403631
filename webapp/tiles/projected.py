"""Parcel geometry prepared for tiles: Web Mercator metres (EPSG:3857), simplified per zoom band.

Tiles of zooms 0-11, 12-14 and 15+ read band 0, 1 and 2. Each band is simplified with half the
finest tolerance the tile encoder applies inside it, so the encoder's own simplification still
decides what a tile shows; the last band is exact. Plain plots (at most SIMPLE_VERTICES
coordinates) are exact in every band, as the encoder never simplifies them either.
"""

import math

import numpy as np
import shapely

from webapp.domain.units import m2_to_mu
from webapp.tiles import compiled_loops
from webapp.tiles.grid import MAX_LATITUDE, TileAddress
from webapp.tiles.mvt import (
    ATTRIBUTES,
    BUFFER_UNITS,
    EXTENT,
    LAYER,
    SIMPLE_VERTICES,
    clip_to_rect,
    simplify_detailed,
    simplify_tolerance,
)
from webapp.tiles.mvt_writer import encode_layer, polygon_commands

EARTH_RADIUS_M = 6378137.0
WORLD_M = 2 * math.pi * EARTH_RADIUS_M  # width of the Web Mercator world, metres
MULTIPOLYGON_TYPE_ID = 6  # shapely type id
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


def _lonlat_to_mercator(lonlat: np.ndarray) -> np.ndarray:
    lat = np.radians(np.clip(lonlat[:, 1], -MAX_LATITUDE, MAX_LATITUDE))
    return np.column_stack((np.radians(lonlat[:, 0]) * EARTH_RADIUS_M,
                            np.arcsinh(np.tan(lat)) * EARTH_RADIUS_M))


def _single_parts_as_polygons(geometries: np.ndarray) -> np.ndarray:
    """MultiPolygons of one part as that Polygon (tiles then need not split them into parts)."""
    single = ((shapely.get_type_id(geometries) == MULTIPOLYGON_TYPE_ID)
              & (shapely.get_num_geometries(geometries) == 1))
    if single.any():
        geometries = geometries.copy()
        geometries[single] = shapely.get_geometry(geometries[single], 0)
    return geometries


def mercator_geometries(geometries_4326: np.ndarray) -> list[np.ndarray]:
    """Lon/lat geometries as Web Mercator geometries of each band (one-part MultiPolygons as
    Polygons). Plain plots of at most SIMPLE_VERTICES coordinates are not simplified, as the
    tile encoder leaves them alone too (half the time of preparing a district of them)."""
    projected = _single_parts_as_polygons(shapely.transform(geometries_4326,
                                                            _lonlat_to_mercator))
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


def tile_corner_m(tile: TileAddress) -> tuple[float, float]:
    """The tile's north-west corner in Web Mercator metres (west, north)."""
    size_m = WORLD_M / (1 << tile.z)
    return tile.x * size_m - WORLD_M / 2, WORLD_M / 2 - tile.y * size_m


def encode_mercator_tile(rows: dict[str, np.ndarray], tile: TileAddress) -> bytes:
    """One MVT (layer `parcels`) from columns fid, code, land_use, status, area_m2 and wkb (Web
    Mercator metres of the tile's band): simplified, clipped and snapped like encode_parcel_tile.

    Simplification and clipping run in metres (the same tolerance and rectangle as in tile
    units); the writer takes coordinates to tile units while it encodes.
    """
    scale = (1 << tile.z) * EXTENT / WORLD_M  # tile units per metre
    west, north = tile_corner_m(tile)
    pad, size = BUFFER_UNITS / scale, EXTENT / scale
    commands = mercator_commands(rows["wkb"], (west - pad, north - size - pad, west + size + pad,
                                               north + pad),
                                 simplify_tolerance(tile.z) / scale, scale,
                                 (-west * scale, north * scale))
    area_m2 = rows["area_m2"].astype(np.float64)
    properties = {"id": rows["fid"], "code": rows["code"], "land_use": rows["land_use"],
                  "status": rows["status"], "area_m2": np.round(area_m2, 2),
                  "area_mu": np.round(m2_to_mu(area_m2), 2)}
    assert list(properties) == list(ATTRIBUTES)
    return encode_layer(LAYER, EXTENT, rows["fid"], commands, properties)


def mercator_commands(blobs: np.ndarray, rect: tuple[float, float, float, float],
                      tolerance_m: float, scale: float, offset: tuple[float, float]
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The geometry commands (as mvt_writer.polygon_commands) of WKB geometries in metres, clipped
    to rect (west, south, east, north) and taken to tile units by scale and offset.

    Plain plots (a ring of at most SIMPLE_VERTICES coordinates, never simplified) go straight
    from their WKB through compiled code, most parcels of a close-up tile; the rest are
    simplified (past SIMPLE_VERTICES) and clipped by shapely, as encode_parcel_tile does."""
    listed = blobs.tolist()
    data = np.frombuffer(b"".join(listed), np.uint8)
    ends = np.cumsum(np.fromiter(map(len, listed), np.int64, len(listed)))
    commands, start, end, others = compiled_loops().plain_plot_commands(
        data, ends, SIMPLE_VERTICES, *rect, scale, *offset)
    if others.any():
        which = np.flatnonzero(others)
        shaped = clip_to_rect(simplify_detailed(shapely.from_wkb(blobs[which]), tolerance_m),
                              *rect)
        more, more_start, more_end = polygon_commands(shaped, scale, offset)
        start[which], end[which] = more_start + len(commands), more_end + len(commands)
        commands = np.concatenate([commands, more])
    return commands, start, end


def warm_up() -> None:
    """Compile the tile writer's loops, or load them from numba's disk cache (a server calls this
    before its first request, and before it forks workers): one small tile with a plain plot,
    a plot across the tile's edge and a detailed outline."""
    tile = TileAddress(16, 54_000, 26_000)
    west, north = tile_corner_m(tile)
    plots = [shapely.box(west + 10, north - 40, west + 30, north - 20),
             shapely.box(west - 20, north - 40, west + 30, north - 20),
             shapely.Point(west + 100, north - 100).buffer(30)]
    rows = {"fid": np.arange(3, dtype=np.int64), "code": np.array(["a", "b", "c"], object),
            "land_use": np.array(["0701"] * 3, object), "status": np.array([None] * 3, object),
            "area_m2": np.array([400.0, 1000.0, 2827.4]), "wkb": shapely.to_wkb(plots)}
    encode_mercator_tile(rows, tile)
