"""Write a Mapbox Vector Tile (MVT 2.1) of polygon features with numpy, without a per-feature loop.

Geometries come in integer tile units (y down, already clipped and simplified). Rings are
rounded, de-duplicated and wound as the spec asks (exterior positive area in tile coordinates),
turned into MoveTo/LineTo/ClosePath commands and written as protobuf varints in bulk.
Layers of at most SMALL_LAYER_FEATURES features go to the plain-Python writer
(mvt_small_writer), which writes the same bytes faster where numpy's fixed cost per call rules.
"""

import numpy as np
import pandas as pd

from webapp.tiles.mvt_rings import ring_points
from webapp.tiles.mvt_small_writer import encode_small_layer
from webapp.tiles.protobuf import message, varint, varint_bytes, varint_sizes

MOVE_TO_1 = 9  # MoveTo (1) with count 1
CLOSE_PATH = 15  # ClosePath (7) with count 1
VALUE_TAG = 0x22  # layer field 4 (values), length-delimited
# The value message of a string of n < 126 UTF-8 bytes starts with these 4 bytes.
_SHORT_STRING_HEADERS = [bytes((VALUE_TAG, n + 2, 0x0A, n)) for n in range(126)]
SMALL_LAYER_FEATURES = 64  # up to this many features the plain-Python writer is faster


def _wound(xy: np.ndarray, point_ring: np.ndarray, ring_count: int, exterior: np.ndarray):
    """Vertices reordered so exteriors have positive and interiors negative area; which rings
    are usable (≥ 3 points, non-zero area); points per ring."""
    n = np.bincount(point_ring, minlength=ring_count)
    start = np.cumsum(n) - n
    within = np.arange(len(xy)) - start[point_ring]
    after = np.where(within + 1 == n[point_ring], start[point_ring], np.arange(len(xy)) + 1)
    cross = (xy[:, 0] * xy[after, 1] - xy[after, 0] * xy[:, 1]).astype(np.float64)
    area2 = np.bincount(point_ring, weights=cross, minlength=ring_count)
    usable = (n >= 3) & (area2 != 0)
    flip = usable & ((area2 > 0) != exterior)
    order = np.where(flip[point_ring], start[point_ring] + n[point_ring] - 1 - within,
                     np.arange(len(xy)))
    return xy[order], usable, n


def polygon_commands(geometries: np.ndarray, scale: float = 1.0,
                     offset: tuple[float, float] = (0.0, 0.0)) -> tuple[np.ndarray, np.ndarray]:
    """MVT geometry commands of (multi)polygons (coordinates as in _ring_points): (commands as
    uint64, command count per geometry; 0 when nothing polygonal is left)."""
    xy, point_ring, ring_feature, exterior, ring_part = ring_points(geometries, scale, offset)
    xy, usable, n = _wound(xy, point_ring, len(ring_feature), exterior)
    part_ok = np.ones(int(ring_part.max(initial=-1)) + 1, dtype=bool)
    part_ok[ring_part[exterior & ~usable]] = False  # an unusable exterior drops its holes
    ring_kept = usable & part_ok[ring_part]
    point_kept = ring_kept[point_ring]
    xy, point_ring = xy[point_kept], point_ring[point_kept]
    feature_of_point = ring_feature[point_ring]
    first_of_feature = np.r_[True, feature_of_point[1:] != feature_of_point[:-1]]
    delta = xy - np.where(first_of_feature[:, None], 0, np.roll(xy, 1, axis=0))
    zigzag = ((delta << 1) ^ (delta >> 63)).astype(np.uint64)
    kept_rings = np.flatnonzero(ring_kept)
    counts = n[kept_rings]
    length = 2 * counts + 3
    ring_start = np.cumsum(length) - length
    out = np.empty(int(length.sum()), dtype=np.uint64)
    out[ring_start] = MOVE_TO_1
    out[ring_start + 3] = (2 | ((counts - 1) << 3)).astype(np.uint64)
    out[ring_start + length - 1] = CLOSE_PATH
    slot = np.repeat(np.arange(len(kept_rings)), counts)
    within = np.arange(len(xy)) - np.repeat(np.cumsum(counts) - counts, counts)
    base = ring_start[slot] + 1 + 2 * within + (within > 0)
    out[base], out[base + 1] = zigzag[:, 0], zigzag[:, 1]
    per_feature = np.bincount(ring_feature[kept_rings], weights=length,
                              minlength=len(geometries)).astype(np.int64)
    return out, per_feature


def _value_messages(columns: dict[str, np.ndarray]) -> tuple[bytes, np.ndarray]:
    """The layer's values (deduplicated per column) and each feature's tags (-1: no value)."""
    messages, tags, offset = [], [], 0
    for key_index, values in enumerate(columns.values()):
        codes, uniques = _factorize(values)
        if values.dtype.kind == "f":
            messages.append(_double_messages(uniques))
        elif values.dtype.kind in "iu":
            messages.append(_int_messages(uniques))
        else:
            messages.append(_string_messages(uniques.tolist()))
        tags.append(np.column_stack([np.full(len(codes), key_index),
                                     np.where(codes < 0, -1, codes + offset)]))
        offset += len(uniques)
    return b"".join(messages), np.hstack(tags) if tags else np.zeros((0, 0), np.int64)


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code of each value, -1 for None/NaN; the distinct values)."""
    if values.dtype.kind in "fiu":
        present = ~np.isnan(values) if values.dtype.kind == "f" else np.ones(len(values), bool)
        uniques, inverse = np.unique(values[present], return_inverse=True)
        codes = np.full(len(values), -1, dtype=np.int64)
        codes[present] = inverse
        return codes, uniques
    codes, uniques = pd.factorize(values, use_na_sentinel=True)  # None and NaN: -1
    return codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=object)


def _double_messages(values: np.ndarray) -> bytes:
    """Value messages (double_value) of many floats at once."""
    out = np.empty((len(values), 11), dtype=np.uint8)
    out[:, :3] = (VALUE_TAG, 9, 0x19)
    out[:, 3:] = values.astype("<f8").view(np.uint8).reshape(-1, 8)
    return out.tobytes()


def _int_messages(values: np.ndarray) -> bytes:
    """Value messages (int_value) of many non-negative integers at once."""
    tokens = np.column_stack([np.full(len(values), VALUE_TAG), varint_sizes(values) + 1,
                              np.full(len(values), 0x20), values]).reshape(-1)
    return varint_bytes(tokens)[0].tobytes()


def _string_messages(values: list) -> bytes:
    """Value messages (string_value) of many strings (other types as text)."""
    encoded = [v.encode("utf-8") if isinstance(v, str) else str(v).encode() for v in values]
    short = _SHORT_STRING_HEADERS
    return b"".join([short[len(b)] + b if len(b) < len(short) else message(VALUE_TAG, message(
        0x0A, b)) for b in encoded])


def _feature_tokens(ids: np.ndarray, tags: np.ndarray, commands: np.ndarray,
                    per_feature: np.ndarray) -> np.ndarray:
    """Every feature (layer field 2) as one stream of varints, lengths computed in bytes."""
    if not len(ids):
        return np.zeros(0, dtype=np.uint64)
    pairs = tags.reshape(len(ids), -1, 2)
    has = pairs[:, :, 1] >= 0
    tag_values = pairs[has].reshape(-1).astype(np.uint64)
    tag_count = has.sum(axis=1) * 2
    tag_feature = np.repeat(np.arange(len(ids)), tag_count)
    tag_nbytes, cmd_nbytes = varint_sizes(tag_values), varint_sizes(commands)
    cmd_feature = np.repeat(np.arange(len(ids)), per_feature)
    tag_len = np.bincount(tag_feature, weights=tag_nbytes, minlength=len(ids)).astype(np.int64)
    geom_len = np.bincount(cmd_feature, weights=cmd_nbytes, minlength=len(ids)).astype(np.int64)
    feature_len = (1 + varint_sizes(ids) + 1 + varint_sizes(tag_len) + tag_len + 2 + 1
                   + varint_sizes(geom_len) + geom_len)
    header = np.column_stack([np.full(len(ids), 0x12), feature_len, np.full(len(ids), 0x08), ids,
                              np.full(len(ids), 0x12), tag_len]).astype(np.uint64)
    middle = np.column_stack([np.full(len(ids), 0x18), np.full(len(ids), 3),
                              np.full(len(ids), 0x22), geom_len]).astype(np.uint64)
    size = 10 + tag_count + per_feature
    start = np.cumsum(size) - size
    out = np.empty(int(size.sum()), dtype=np.uint64)
    out[(start[:, None] + np.arange(6)).reshape(-1)] = header.reshape(-1)
    out[start[tag_feature] + 6 + _within(tag_count)] = tag_values
    middle_at = start + 6 + tag_count
    out[(middle_at[:, None] + np.arange(4)).reshape(-1)] = middle.reshape(-1)
    out[middle_at[cmd_feature] + 4 + _within(per_feature)] = commands
    return out


def _within(counts: np.ndarray) -> np.ndarray:
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


def encode_polygon_layer(name: str, extent: int, ids: np.ndarray, geometries: np.ndarray,
                         properties: dict[str, np.ndarray], scale: float = 1.0,
                         offset: tuple[float, float] = (0.0, 0.0)) -> bytes:
    """One MVT tile with one layer of polygon features; features left without geometry are
    dropped. properties: attribute name → one value per feature (None/NaN: attribute left out).
    Geometries are in tile units, or in a y-up CRS taken to tile units by scale and offset."""
    if len(geometries) <= SMALL_LAYER_FEATURES:
        return encode_small_layer(name, extent, ids, geometries, properties, scale, offset)
    return encode_bulk_layer(name, extent, ids, geometries, properties, scale, offset)


def encode_bulk_layer(name: str, extent: int, ids: np.ndarray, geometries: np.ndarray,
                      properties: dict[str, np.ndarray], scale: float = 1.0,
                      offset: tuple[float, float] = (0.0, 0.0)) -> bytes:
    """encode_polygon_layer with numpy, whatever the number of features."""
    commands, per_feature = polygon_commands(geometries, scale, offset)
    kept = per_feature > 0
    values, tags = _value_messages({k: np.asarray(v)[kept] for k, v in properties.items()})
    tokens = _feature_tokens(np.asarray(ids, dtype=np.int64)[kept], tags, commands,
                             per_feature[kept])
    layer = (b"\x78\x02" + message(0x0A, name.encode()) + varint_bytes(tokens)[0].tobytes()
             + b"".join(message(0x1A, k.encode()) for k in properties) + values
             + b"\x28" + varint(extent))
    return message(0x1A, layer)
