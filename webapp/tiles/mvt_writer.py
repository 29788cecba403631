"""Write a Mapbox Vector Tile (MVT 2.1) holding one layer of features (polygons, or points,
lines and polygons mixed), from their geometry commands (mvt_geometry, or
mvt.mercator_commands) and attribute columns (mvt_values)."""

from functools import lru_cache

import numpy as np

from webapp.tiles import compiled_messages
from webapp.tiles.mvt_values import layer_values

NAMES_KEPT = 64  # layouts of layer name and keys kept encoded (tiles write one, tests a few)
POINT, LINESTRING, POLYGON = 1, 2, 3  # MVT GeomType of a feature


def encode_layer(name: str, extent: int, ids: np.ndarray,
                 commands: tuple[np.ndarray, np.ndarray, np.ndarray],
                 properties: dict[str, np.ndarray], types: np.ndarray | None = None) -> bytes:
    """One MVT tile with one layer of features. commands: (geometry commands of every
    feature end to end, each feature's start and end in them; start = end: nothing of it is
    left, and it is left out). properties: attribute name → one value per feature (None/NaN:
    attribute left out). types: each feature's geometry type (POINT, LINESTRING or POLYGON;
    None: all polygons). Ids are written as uint64 (a negative one as its two's complement)."""
    data, start, end = commands
    kept = np.flatnonzero(end > start).astype(np.int64, copy=False)
    values, tags = layer_values(properties, kept)
    types = (np.full(len(start), POLYGON, np.uint8) if types is None
             else np.array(types, dtype=np.uint8))  # a fresh array: one compiled signature
    tile = compiled_messages().layer_message(
        *encoded_names(name, tuple(properties)), values, extent, kept,
        np.asarray(ids, dtype=np.int64).view(np.uint64), types, tags, data,
        start.astype(np.int64, copy=False), end.astype(np.int64, copy=False))
    return tile.tobytes()


@lru_cache(maxsize=NAMES_KEPT)
def encoded_names(name: str, keys: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(the layer name in UTF-8, the keys in UTF-8 end to end, where each key ends), as
    mvt_messages.layer_message takes them; read-only, as they are shared."""
    encoded = [key.encode() for key in keys]
    arrays = (np.frombuffer(name.encode(), np.uint8), np.frombuffer(b"".join(encoded), np.uint8),
              np.cumsum(np.array([len(key) for key in encoded], np.int64)))
    arrays[2].flags.writeable = False
    return arrays
