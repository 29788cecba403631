"""Encode parcels as one Mapbox Vector Tile: the `parcels` layer, projected, simplified per zoom,
clipped to the buffered tile and written by compiled loops.

Every tile the app writes itself (PostGIS writes its own, ST_AsMVT) goes one way,
encode_mercator_tile: from the GeoPackage store's band geometry (Web Mercator metres, see
webapp.tiles.projected), or from parcel records (encode_parcel_tile, the stores' default
tile()) once their outlines are projected. Simplification and clipping run in metres (the
tile's tolerance and buffered rectangle taken there); coordinates go to integer tile units (y
down) while the commands are written. Plain plots go from their WKB to commands in compiled
code (mvt_commands.plain_plot_commands), other outlines through shapely first (mvt_geometry).
"""

import numpy as np
import shapely

from webapp.domain.parcel import Parcel
from webapp.domain.units import M2_PER_MU
from webapp.tiles import compiled_commands
from webapp.tiles.grid import TileAddress
from webapp.tiles.mercator import WORLD_M, mercator_polygons, tile_corner_m
from webapp.tiles.mvt_geometry import polygon_commands
from webapp.tiles.mvt_writer import encode_layer

LAYER = "parcels"
EXTENT = 4096  # tile units per tile side (the MVT default)
BUFFER_UNITS = 64  # geometry kept beyond the tile edge, so strokes do not end at the seam
BUFFER_FRACTION = BUFFER_UNITS / EXTENT
ATTRIBUTES = {"id": "Number", "code": "String", "land_use": "String", "status": "String",
              "area_m2": "Number", "area_mu": "Number"}
MEDIA_TYPE = "application/vnd.mapbox-vector-tile"
# Plain Douglas-Peucker per tile, as PostGIS ST_Simplify does: about 1.5x faster than the
# topology-preserving variant, and a ring it collapses is dropped by the writer (MVT clients
# fill what is left). Band geometry stored at load time keeps its topology.
SIMPLIFY_KEEPS_TOPOLOGY = False
SIMPLE_VERTICES = 6  # coordinates of a closed ring of five corners


def simplify_tolerance(z: int) -> float:
    """Simplification tolerance in tile units: coarser at district-wide zooms, exact up close."""
    if z < 12:
        return 8.0  # one pixel of a 512-pixel tile
    if z < 15:
        return 4.0
    return 1.0


def clip_to_rect(geometries: np.ndarray, xmin: float, ymin: float, xmax: float,
                 ymax: float) -> np.ndarray:
    """Geometries clipped to a rectangle; those already inside it are passed on untouched
    (in a dense tile most are, and clipping costs as much as the rest of the encoding)."""
    bounds = shapely.bounds(geometries)
    inside = ((bounds[:, 0] >= xmin) & (bounds[:, 1] >= ymin) & (bounds[:, 2] <= xmax)
              & (bounds[:, 3] <= ymax))
    clipped = np.array(geometries, dtype=object, copy=True)
    crossing = ~inside
    clipped[crossing] = shapely.clip_by_rect(clipped[crossing], xmin, ymin, xmax, ymax)
    return clipped


def simplify_detailed(geometries: np.ndarray, tolerance: float) -> np.ndarray:
    """Geometries simplified with the tolerance; those with at most SIMPLE_VERTICES coordinates
    (a plain quadrilateral plot) are left alone, as simplifying them saves nothing."""
    simplified = np.array(geometries, dtype=object, copy=True)
    detailed = shapely.get_num_coordinates(simplified) > SIMPLE_VERTICES
    simplified[detailed] = shapely.simplify(simplified[detailed], tolerance,
                                            preserve_topology=SIMPLIFY_KEEPS_TOPOLOGY)
    return simplified


def mercator_commands(blobs: np.ndarray, rect: tuple[float, float, float, float],
                      tolerance_m: float, scale: float, offset: tuple[float, float]
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The geometry commands (as mvt_geometry.polygon_commands gives them) of WKB geometries in
    metres, clipped to rect (west, south, east, north) and taken to tile units by scale and
    offset.

    Plain plots (a ring of at most SIMPLE_VERTICES coordinates, never simplified) go straight
    from their WKB through compiled code, most parcels of a close-up tile; the rest are
    simplified (past SIMPLE_VERTICES) and clipped by shapely first."""
    listed = blobs.tolist()
    data = np.frombuffer(b"".join(listed), np.uint8)
    ends = np.cumsum(np.fromiter(map(len, listed), np.int64, len(listed)))
    commands, start, end, others = compiled_commands().plain_plot_commands(
        data, ends, SIMPLE_VERTICES, *rect, scale, *offset)
    if others.any():
        which = np.flatnonzero(others)
        shaped = clip_to_rect(simplify_detailed(shapely.from_wkb(blobs[which]), tolerance_m),
                              *rect)
        more, more_start, more_end = polygon_commands(shaped, scale, offset)
        start[which], end[which] = more_start + len(commands), more_end + len(commands)
        commands = np.concatenate([commands, more])
    return commands, start, end


def tile_properties(rows: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The attributes (ATTRIBUTES) a tile carries for its parcels, from columns fid, code,
    land_use, status and area_m2; areas rounded to 2 decimals. Popups fetch the rest."""
    area_m2 = rows["area_m2"].astype(np.float64)
    return {"id": rows["fid"], "code": rows["code"], "land_use": rows["land_use"],
            "status": rows["status"], "area_m2": np.round(area_m2, 2),
            "area_mu": np.round(area_m2 / M2_PER_MU, 2)}


def encode_mercator_tile(rows: dict[str, np.ndarray], tile: TileAddress) -> bytes:
    """One MVT (layer `parcels`, extent 4096) from columns fid, code, land_use, status, area_m2
    and wkb (Web Mercator metres), features in row order."""
    scale = (1 << tile.z) * EXTENT / WORLD_M  # tile units per metre
    west, north = tile_corner_m(tile)
    pad, size = BUFFER_UNITS / scale, EXTENT / scale
    commands = mercator_commands(rows["wkb"], (west - pad, north - size - pad, west + size + pad,
                                               north + pad),
                                 simplify_tolerance(tile.z) / scale, scale,
                                 (-west * scale, north * scale))
    properties = tile_properties(rows)
    assert list(properties) == list(ATTRIBUTES)
    return encode_layer(LAYER, EXTENT, rows["fid"], commands, properties)


def encode_parcel_tile(parcels: list[Parcel], tile: TileAddress) -> bytes:
    """One MVT (layer `parcels`, extent 4096) holding the parcels that show in the tile, in the
    order given, from parcel records in lon/lat (their exact outlines; those without geometry
    are left out), as encode_mercator_tile writes it."""
    shown = [p for p in parcels if p.geometry is not None]
    geometries = mercator_polygons(np.array([p.geometry for p in shown], dtype=object))
    rows = {"fid": np.array([p.id for p in shown], np.int64),
            "code": np.array([p.code for p in shown], object),
            "land_use": np.array([p.land_use for p in shown], object),
            "status": np.array([p.status for p in shown], object),
            "area_m2": np.array([p.area_m2 for p in shown], np.float64),
            "wkb": shapely.to_wkb(geometries)}
    return encode_mercator_tile(rows, tile)
