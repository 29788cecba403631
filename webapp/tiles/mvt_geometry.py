"""Geometry as MVT geometry commands: shapely hands over every ring's (line's, point's)
coordinates in one array, and a compiled loop (mvt_commands.geometry_commands, line_commands,
point_commands) rounds, de-duplicates and winds them and writes the commands. Geometries come
clipped and simplified, in integer tile units (y down) or in a y-up CRS that a scale and offset
take there."""

import numpy as np
import shapely

from webapp.tiles import compiled_commands

POLYGON_TYPE_ID = 3  # shapely type id of Polygon
POINT_TYPE_ID, LINE_TYPE_IDS = 0, (1, 2)  # shapely type ids of Point, LineString, LinearRing


def polygon_rings(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rings, part of each ring, feature of each part) of the polygons among the geometries'
    parts, each part's exterior first. Shortcuts: plain polygons are their own parts, and when no
    part has a hole the parts stand for their exteriors (same coordinates), which spares shapely
    cloning every ring into a new object."""
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


def polygon_commands(geometries: np.ndarray, scale: float = 1.0,
                     offset: tuple[float, float] = (0.0, 0.0)
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(geometry commands of every feature end to end, each feature's start and end in them;
    start = end: nothing of it is left). Geometries in tile units, or in a y-up CRS taken to
    tile units as (x·scale + offset x, offset y - y·scale); what is not polygonal is left out."""
    geometries = np.asarray(geometries, dtype=object)
    rings, ring_part, part_feature = polygon_rings(geometries)
    xy, point_ring = shapely.get_coordinates(rings, return_index=True)
    return compiled_commands().geometry_commands(
        xy, point_ring.astype(np.int64, copy=False), ring_part.astype(np.int64, copy=False),
        part_feature.astype(np.int64, copy=False), len(geometries), float(scale),
        float(offset[0]), float(offset[1]), scale != 1.0 or tuple(offset) != (0.0, 0.0))


def _transform_args(scale: float, offset: tuple[float, float]) -> tuple[float, float, float, bool]:
    return (float(scale), float(offset[0]), float(offset[1]),
            scale != 1.0 or tuple(offset) != (0.0, 0.0))


def line_commands(geometries: np.ndarray, scale: float = 1.0,
                  offset: tuple[float, float] = (0.0, 0.0)
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As polygon_commands, for the lines among the geometries' parts (LineString, LinearRing);
    a feature's lines become one multi-linestring."""
    geometries = np.asarray(geometries, dtype=object)
    parts, part_feature = shapely.get_parts(geometries, return_index=True)
    lines = np.isin(shapely.get_type_id(parts), LINE_TYPE_IDS)
    if not lines.all():
        parts, part_feature = parts[lines], part_feature[lines]
    xy, point_line = shapely.get_coordinates(parts, return_index=True)
    return compiled_commands().line_commands(
        xy, point_line.astype(np.int64, copy=False), part_feature.astype(np.int64, copy=False),
        len(geometries), *_transform_args(scale, offset))


def point_commands(geometries: np.ndarray, scale: float = 1.0,
                   offset: tuple[float, float] = (0.0, 0.0),
                   rect: tuple[float, float, float, float] | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As polygon_commands, for the points among the geometries' parts (a feature's points
    become one multipoint); with rect (west, south, east, north, in the geometries' CRS), only
    the points inside it or on its edge."""
    geometries = np.asarray(geometries, dtype=object)
    parts, part_feature = shapely.get_parts(geometries, return_index=True)
    points = shapely.get_type_id(parts) == POINT_TYPE_ID
    xy, point_part = shapely.get_coordinates(parts, return_index=True)
    keep = points[point_part]
    if rect is not None:
        west, south, east, north = rect
        keep &= ((xy[:, 0] >= west) & (xy[:, 0] <= east) & (xy[:, 1] >= south)
                 & (xy[:, 1] <= north))
    return compiled_commands().point_commands(
        np.ascontiguousarray(xy[keep]), part_feature[point_part[keep]].astype(np.int64),
        len(geometries), *_transform_args(scale, offset))
