"""Polygon rings of many geometries at once, in integer tile units, for the MVT writers."""

import numpy as np
import shapely

POLYGON_TYPE_ID = 3  # shapely type id of Polygon


def polygon_rings(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rings, part of each ring, feature of each part) of the polygons among the geometries'
    parts, each part's exterior first. Shortcuts: plain polygons are their own parts, and when no
    part has a hole the parts stand for their exteriors (same coordinates), which spares shapely
    cloning every ring into a new object (half the geometry time of a z14 tile)."""
    if (shapely.get_type_id(geometries) == POLYGON_TYPE_ID).all():
        parts, part_feature = geometries, np.arange(len(geometries))
    else:
        parts, part_feature = shapely.get_parts(geometries, return_index=True)
        polygonal = shapely.get_type_id(parts) == POLYGON_TYPE_ID
        if not polygonal.all():
            parts, part_feature = parts[polygonal], part_feature[polygonal]
    if shapely.get_num_interior_rings(parts).any():
        rings, ring_part = shapely.get_rings(parts, return_index=True)
    else:
        rings, ring_part = parts, np.arange(len(parts))
    return rings, ring_part, part_feature


def tile_units(xy: np.ndarray, scale: float, offset: tuple[float, float]) -> np.ndarray:
    """Coordinates in integer tile units: (x·scale + offset x, offset y − y·scale), rounded
    half to even; unchanged but rounded when scale is 1 and offset 0."""
    if scale != 1.0 or offset != (0.0, 0.0):
        xy = np.column_stack((xy[:, 0] * scale + offset[0], offset[1] - xy[:, 1] * scale))
    return np.rint(xy).astype(np.int64)


def ring_points(geometries: np.ndarray, scale: float, offset: tuple[float, float]):
    """Ring vertices in tile units (see tile_units), without closing or repeated points: (xy,
    ring id, ring feature, ring is exterior, ring part)."""
    rings, ring_part, part_feature = polygon_rings(geometries)
    exterior = np.r_[True, ring_part[1:] != ring_part[:-1]] if len(rings) else np.zeros(0, bool)
    xy, point_ring = shapely.get_coordinates(rings, return_index=True)
    xy = tile_units(xy, scale, offset)
    last = np.r_[point_ring[1:] != point_ring[:-1], True] if len(xy) else np.zeros(0, bool)
    keep = ~last  # the closing point repeats the first
    xy, point_ring = xy[keep], point_ring[keep]
    repeated = np.r_[False, (point_ring[1:] == point_ring[:-1])
                     & np.all(xy[1:] == xy[:-1], axis=1)] if len(xy) else np.zeros(0, bool)
    xy, point_ring = xy[~repeated], point_ring[~repeated]
    return xy, point_ring, part_feature[ring_part], exterior, ring_part
