"""Encode context features (roads, rivers, interchanges, street boundaries...) as one Mapbox
Vector Tile: the CONTEXT_TILE_LAYER layer, points, lines and polygons mixed, each feature with
the MVT geometry type of its family (multi-parts as one feature).

As the parcel tiles (webapp.tiles.mvt): lon/lat projected to Web Mercator metres, lines and
polygons simplified with the zoom's tolerance and clipped to the buffered tile there (lines as
lines), points outside the buffered tile left out; coordinates go to integer tile units (y down)
while the compiled loops write the commands. A feature with nothing left in the tile is left out.
"""

from collections.abc import Mapping, Sequence

import numpy as np
import shapely

from webapp.domain.context import CONTEXT_KINDS, ContextFeature
from webapp.tiles.grid import TileAddress
from webapp.tiles.mercator import WORLD_M, lonlat_to_mercator, tile_corner_m
from webapp.tiles.mvt import (
    BUFFER_UNITS,
    EXTENT,
    clip_to_rect,
    simplify_detailed,
    simplify_tolerance,
)
from webapp.tiles.mvt_geometry import line_commands, point_commands, polygon_commands
from webapp.tiles.mvt_writer import LINESTRING, POINT, POLYGON, encode_layer

# shapely type id → MVT geometry type: Point, LineString, LinearRing, Polygon, and the multi-parts
GEOMETRY_TYPES = {0: POINT, 1: LINESTRING, 2: LINESTRING, 3: POLYGON, 4: POINT, 5: LINESTRING,
                  6: POLYGON}
FAMILY_TYPES = {"point": POINT, "line": LINESTRING, "polygon": POLYGON}
UNKNOWN = 0  # no geometry, or nothing to tell its type by: left out
COLLECTION_TYPE_ID = 7  # shapely type id of GeometryCollection
Commands = tuple[np.ndarray, np.ndarray, np.ndarray]


def geometry_types(geometries: np.ndarray, layers: Sequence[str],
                   kinds: Mapping[str, str]) -> np.ndarray:
    """Each geometry's MVT type (POINT, LINESTRING, POLYGON) by its own type; a geometry
    collection takes its layer's family (kinds: layer → kind), a missing geometry or one of
    no known family UNKNOWN."""
    type_ids = shapely.get_type_id(geometries)
    types = np.zeros(len(geometries), np.uint8)
    for type_id, mvt_type in GEOMETRY_TYPES.items():
        types[type_ids == type_id] = mvt_type
    for i in np.flatnonzero(type_ids == COLLECTION_TYPE_ID):  # rare: one by one
        kind = CONTEXT_KINDS.get(kinds.get(layers[i], ""))
        types[i] = FAMILY_TYPES[kind.family] if kind else UNKNOWN
    return types


def mixed_commands(geometries: np.ndarray, types: np.ndarray,
                   rect: tuple[float, float, float, float], tolerance_m: float, scale: float,
                   offset: tuple[float, float]) -> Commands:
    """The geometry commands of each geometry (Web Mercator metres) by its MVT type: points
    inside rect (west, south, east, north), lines and polygons simplified with tolerance_m and
    clipped to rect, taken to tile units by scale and offset as mvt_geometry does."""
    count = len(geometries)
    start, end = np.zeros(count, np.int64), np.zeros(count, np.int64)
    pieces: list[np.ndarray] = []
    written = 0
    for mvt_type in (POINT, LINESTRING, POLYGON):
        which = np.flatnonzero(types == mvt_type)
        if not len(which):
            continue
        if mvt_type == POINT:
            data, first, last = point_commands(geometries[which], scale, offset, rect)
        else:
            shaped = clip_to_rect(simplify_detailed(geometries[which], tolerance_m), *rect)
            encode = line_commands if mvt_type == LINESTRING else polygon_commands
            data, first, last = encode(shaped, scale, offset)
        start[which], end[which] = first + written, last + written
        written += len(data)
        pieces.append(data)
    data = np.concatenate(pieces) if pieces else np.empty(0, np.uint64)
    return data, start, end


def context_properties(features: Sequence[ContextFeature],
                       kinds: Mapping[str, str]) -> dict[str, np.ndarray]:
    """The attributes (CONTEXT_TILE_ATTRIBUTES) of the features: id, layer, kind, name, class
    (None leaves an attribute out)."""
    return {"id": np.fromiter((f.id for f in features), np.int64, len(features)),
            "layer": np.array([f.layer for f in features], object),
            "kind": np.array([kinds.get(f.layer) for f in features], object),
            "name": np.array([f.name for f in features], object),
            "class": np.array([f.feature_class for f in features], object)}


def encode_context_tile(features: Sequence[ContextFeature], kinds: Mapping[str, str],
                        address: TileAddress) -> bytes:
    """One MVT (layer CONTEXT_TILE_LAYER, extent 4096) holding the given features (geometry in
    lon/lat) that show in the buffered tile, in the order given, with the attributes
    CONTEXT_TILE_ATTRIBUTES; kinds: layer name → kind. A tile with none is a valid empty tile."""
    # imported here: webapp.store's package imports its backends, whose tile() calls this
    from webapp.store.context_store import CONTEXT_TILE_ATTRIBUTES, CONTEXT_TILE_LAYER

    features = [f for f in features if f.geometry is not None]
    geometries = shapely.transform(np.array([f.geometry for f in features], dtype=object),
                                   lonlat_to_mercator)
    types = geometry_types(geometries, [f.layer for f in features], kinds)
    scale = (1 << address.z) * EXTENT / WORLD_M  # tile units per metre
    west, north = tile_corner_m(address)
    pad, size = BUFFER_UNITS / scale, EXTENT / scale
    rect = (west - pad, north - size - pad, west + size + pad, north + pad)
    commands = mixed_commands(geometries, types, rect, simplify_tolerance(address.z) / scale,
                              scale, (-west * scale, north * scale))
    properties = context_properties(features, kinds)
    assert list(properties) == list(CONTEXT_TILE_ATTRIBUTES)
    return encode_layer(CONTEXT_TILE_LAYER, EXTENT, properties["id"], commands, properties,
                        types)


def warm_up() -> None:
    """Compile the context tile's own loops (lines, points), or load them from numba's disk
    cache: one small tile with a point, a line and a polygon (projected.warm_up calls this)."""
    centre = (118.51, 31.70)
    features = [ContextFeature(1, "p", "p", None, shapely.Point(centre)),
                ContextFeature(2, "l", None, "c", shapely.LineString([centre, (118.52, 31.71)])),
                ContextFeature(3, "a", "a", None, shapely.Point(centre).buffer(0.001))]
    kinds = {"p": "station", "l": "road", "a": "park"}
    encode_context_tile(features, kinds, TileAddress(14, 13585, 6669))
