"""Encode parcels as one Mapbox Vector Tile: projected, clipped and simplified per zoom, vectorised.

Geometry work (projection to tile units, clipping, simplification, snapping to the integer grid)
runs on whole arrays with shapely 2; mapbox-vector-tile only writes the protobuf.
"""

import math

import mapbox_vector_tile
import numpy as np
import shapely
from mapbox_vector_tile.encoder import on_invalid_geometry_make_valid
from shapely.geometry.base import BaseGeometry

from webapp.domain.parcel import Parcel
from webapp.tiles.grid import MAX_LATITUDE, TileAddress

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


def _to_tile_units(tile: TileAddress):
    size = 1 << tile.z

    def project(lonlat: np.ndarray) -> np.ndarray:
        lon = lonlat[:, 0]
        lat = np.radians(np.clip(lonlat[:, 1], -MAX_LATITUDE, MAX_LATITUDE))
        col = (lon + 180.0) / 360.0 * size
        row = (1.0 - np.arcsinh(np.tan(lat)) / math.pi) / 2.0 * size
        return np.column_stack(((col - tile.x) * EXTENT, (row - tile.y) * EXTENT))

    return project


def _polygonal(geometry: BaseGeometry) -> BaseGeometry | None:
    """The polygonal part of a clipped geometry (clipping can leave lines or collections)."""
    if geometry.is_empty:
        return None
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [g for g in getattr(geometry, "geoms", []) if g.geom_type == "Polygon"]
    return shapely.MultiPolygon(parts) if parts else None


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


def tile_geometries(geometries: np.ndarray, tile: TileAddress) -> np.ndarray:
    """Lon/lat geometries as integer tile coordinates (y down), simplified (as PostGIS tiles are:
    a parcel's own vertex count decides), then clipped to the buffered tile."""
    projected = shapely.transform(geometries, _to_tile_units(tile))
    simplified = simplify_detailed(projected, simplify_tolerance(tile.z))
    clipped = clip_to_rect(simplified, -BUFFER_UNITS, -BUFFER_UNITS, EXTENT + BUFFER_UNITS,
                           EXTENT + BUFFER_UNITS)
    return shapely.set_precision(clipped, 1.0)


def tile_properties(parcel: Parcel) -> dict:
    """The attributes a tile carries for one parcel (popups fetch the rest from the API)."""
    return {"id": parcel.id, "code": parcel.code, "land_use": parcel.land_use,
            "status": parcel.status, "area_m2": round(parcel.area_m2, 2),
            "area_mu": round(parcel.area_mu, 2)}


def encode_parcel_tile(parcels: list[Parcel], tile: TileAddress) -> bytes:
    """One MVT (layer `parcels`, extent 4096) holding the parcels that show in the tile."""
    with_geometry = [p for p in parcels if p.geometry is not None]
    geometries = tile_geometries(np.array([p.geometry for p in with_geometry], dtype=object),
                                 tile)
    features = []
    for parcel, geometry in zip(with_geometry, geometries, strict=True):
        shape = _polygonal(geometry)
        if shape is not None:
            features.append({"geometry": shape, "properties": tile_properties(parcel),
                             "id": parcel.id})
    options = {"extents": EXTENT, "y_coord_down": True,
               "on_invalid_geometry": on_invalid_geometry_make_valid}
    return mapbox_vector_tile.encode({"name": LAYER, "features": features},
                                     default_options=options)
