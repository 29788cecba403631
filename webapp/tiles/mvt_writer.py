"""Write a Mapbox Vector Tile (MVT 2.1) holding one layer of polygon features.

Geometries come clipped and simplified, in integer tile units (y down) or in a y-up CRS that a
scale and offset take there. shapely hands over every ring's coordinates in one array; compiled
loops (mvt_compiled, imported on first use) round, de-duplicate and wind them and write the
geometry commands and the feature messages; the values table comes from mvt_values.
"""

import numpy as np
import shapely

from webapp.tiles import compiled_loops
from webapp.tiles.mvt_values import layer_values
from webapp.tiles.protobuf import message, varint

POLYGON_TYPE_ID = 3  # shapely type id of Polygon


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


def encode_polygon_layer(name: str, extent: int, ids: np.ndarray, geometries: np.ndarray,
                         properties: dict[str, np.ndarray], scale: float = 1.0,
                         offset: tuple[float, float] = (0.0, 0.0)) -> bytes:
    """One MVT tile with one layer of polygon features; features left without geometry are
    dropped. properties: attribute name → one value per feature (None/NaN: attribute left out).
    Geometries are in tile units, or in a y-up CRS taken to tile units as (x·scale + offset x,
    offset y − y·scale)."""
    commands = polygon_commands(np.asarray(geometries, dtype=object), scale, offset)
    return encode_layer(name, extent, ids, commands, properties)


def polygon_commands(geometries: np.ndarray, scale: float = 1.0,
                     offset: tuple[float, float] = (0.0, 0.0)
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(geometry commands of every feature end to end, each feature's start and end in them;
    start = end: nothing of it is left), geometries as in encode_polygon_layer."""
    rings, ring_part, part_feature = polygon_rings(geometries)
    xy, point_ring = shapely.get_coordinates(rings, return_index=True)
    return compiled_loops().geometry_commands(
        xy, point_ring.astype(np.int64, copy=False), ring_part.astype(np.int64, copy=False),
        part_feature.astype(np.int64, copy=False), len(geometries), float(scale),
        float(offset[0]), float(offset[1]), scale != 1.0 or tuple(offset) != (0.0, 0.0))


def encode_layer(name: str, extent: int, ids: np.ndarray,
                 commands: tuple[np.ndarray, np.ndarray, np.ndarray],
                 properties: dict[str, np.ndarray]) -> bytes:
    """One MVT tile with one layer of polygon features from their geometry commands (as
    polygon_commands gives them); features without commands are left out."""
    data, start, end = commands
    kept = np.flatnonzero(end > start)
    values, tags = layer_values(properties, kept)
    unsigned_ids = np.asarray(ids, dtype=np.int64).view(np.uint64)
    features = compiled_loops().feature_messages(kept, unsigned_ids, tags, data, start, end)
    layer = (b"\x78\x02" + message(0x0A, name.encode()) + features.tobytes()
             + b"".join(message(0x1A, key.encode()) for key in properties) + values
             + b"\x28" + varint(extent))
    return message(0x1A, layer)

