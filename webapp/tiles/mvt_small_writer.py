"""Write a small Mapbox Vector Tile (a few dozen polygon features) with plain Python loops.

Byte for byte what the numpy writer (webapp.tiles.mvt_writer) writes for the same input: the same
rounding, dropped closing and repeated points, winding, dropped rings, value order and field
layout (a unit test compares the two). A z16 parcel tile holds about ten features; there numpy's
fixed cost per call (some 1,800 calls a tile) is most of the time, while a loop over a few hundred
integers costs a fraction of it.
"""

import struct

import numpy as np
import shapely

from webapp.tiles.mvt_rings import polygon_rings, tile_units
from webapp.tiles.protobuf import message, varint, varints

MOVE_TO_1 = 9  # MoveTo (1) with count 1
CLOSE_PATH = 15  # ClosePath (7) with count 1
UINT64_MASK = (1 << 64) - 1  # ids and integer values are written as uint64, as numpy casts them
DOUBLE_VALUE = b"\x22\x09\x19"  # a value message holding one double (field 3, fixed64)
_pack_double = struct.Struct("<d").pack


def _ring_coordinates(geometries: np.ndarray, scale: float, offset: tuple[float, float]):
    """Polygon rings as (feature, part, is exterior, rounded tile-unit x list, y list), closing
    point left out (coordinates as in mvt_rings.ring_points)."""
    rings, ring_part, part_feature = polygon_rings(geometries)
    xy, point_ring = shapely.get_coordinates(rings, return_index=True)
    xy = tile_units(xy, scale, offset)
    xs, ys = xy[:, 0].tolist(), xy[:, 1].tolist()
    features, part_list = part_feature.tolist(), ring_part.tolist()
    out, start, previous_part = [], 0, -1
    for part, n in zip(part_list, np.bincount(point_ring, minlength=len(rings)).tolist(),
                       strict=True):
        end = start + n - 1 if n else start  # the closing point repeats the first
        out.append((features[part], part, part != previous_part, xs[start:end], ys[start:end]))
        start, previous_part = start + n, part
    return out


def _without_repeats(xs: list[int], ys: list[int]) -> tuple[list[int], list[int]]:
    """A ring's points without those equal to the point before them."""
    keep_x, keep_y = xs[:1], ys[:1]
    for i in range(1, len(xs)):
        if xs[i] != xs[i - 1] or ys[i] != ys[i - 1]:
            keep_x.append(xs[i])
            keep_y.append(ys[i])
    return keep_x, keep_y


def _wound(xs: list[int], ys: list[int], exterior: bool) -> tuple[list[int], list[int]] | None:
    """The ring wound as the spec asks (exterior positive area in tile units, y down), or None
    when it has under 3 points or no area."""
    n = len(xs)
    if n < 3:
        return None
    area2 = 0.0  # summed in float, point by point, as the numpy writer does
    for i in range(n - 1):
        area2 += float(xs[i] * ys[i + 1] - xs[i + 1] * ys[i])
    area2 += float(xs[n - 1] * ys[0] - xs[0] * ys[n - 1])
    if area2 == 0:
        return None
    if (area2 > 0) != exterior:
        return xs[::-1], ys[::-1]
    return xs, ys


def feature_commands(geometries: np.ndarray, scale: float,
                     offset: tuple[float, float]) -> list[list[int]]:
    """MVT geometry commands of each (multi)polygon (empty: nothing polygonal left); an unusable
    exterior drops its holes; the cursor runs on across the rings of one feature."""
    commands: list[list[int]] = [[] for _ in range(len(geometries))]
    dropped_part, cursor_feature, cx, cy = -1, -1, 0, 0
    for feature, part, exterior, xs, ys in _ring_coordinates(geometries, scale, offset):
        if part == dropped_part:
            continue
        ring = _wound(*_without_repeats(xs, ys), exterior)
        if ring is None:
            if exterior:
                dropped_part = part
            continue
        if feature != cursor_feature:
            cursor_feature, cx, cy = feature, 0, 0
        xs, ys = ring
        out = commands[feature]
        dx, dy = xs[0] - cx, ys[0] - cy
        out += (MOVE_TO_1, (dx << 1) ^ (dx >> 63), (dy << 1) ^ (dy >> 63),
                2 | ((len(xs) - 1) << 3))
        for i in range(1, len(xs)):  # zigzag-encoded deltas, written out: the hottest loop
            dx, dy = xs[i] - xs[i - 1], ys[i] - ys[i - 1]
            out += ((dx << 1) ^ (dx >> 63), (dy << 1) ^ (dy >> 63))
        out.append(CLOSE_PATH)
        cx, cy = xs[-1], ys[-1]
    return commands


def _string_message(value) -> bytes:
    body = value.encode("utf-8") if isinstance(value, str) else str(value).encode()
    return message(0x22, b"\x0a" + varint(len(body)) + body)


def _column_values(values: np.ndarray, kept: list[int]) -> tuple[list[bytes], list[int | None]]:
    """(value messages of the distinct values, each kept feature's value index or None for a
    missing value): numbers sorted, other values in order of first use, as the numpy writer."""
    listed = values.tolist()
    picked = [listed[i] for i in kept]
    kind = values.dtype.kind
    present = [v for v in picked if v is not None and v == v]  # NaN is not equal to itself
    if kind == "f":
        distinct = sorted(set(present))
        messages = [DOUBLE_VALUE + _pack_double(v) for v in distinct]
    elif kind in "iu":
        distinct = sorted(set(present))
        messages = [message(0x22, b"\x20" + varint(v & UINT64_MASK)) for v in distinct]
    else:
        distinct = list(dict.fromkeys(present))
        messages = [_string_message(v) for v in distinct]
    index = {value: i for i, value in enumerate(distinct)}
    return messages, [index.get(v) for v in picked]  # missing values are not in the index


def encode_small_layer(name: str, extent: int, ids: np.ndarray, geometries: np.ndarray,
                       properties: dict[str, np.ndarray], scale: float = 1.0,
                       offset: tuple[float, float] = (0.0, 0.0)) -> bytes:
    """One MVT tile with one layer of polygon features, as mvt_writer.encode_polygon_layer."""
    commands = feature_commands(geometries, scale, offset)
    kept = [i for i, feature in enumerate(commands) if feature]
    values, tags = [], [[] for _ in kept]
    for key_index, column in enumerate(properties.values()):
        messages, codes = _column_values(np.asarray(column), kept)
        for feature_tags, code in zip(tags, codes, strict=True):
            if code is not None:
                feature_tags += (key_index, code + len(values))
        values += messages
    id_list = np.asarray(ids, dtype=np.int64).tolist()
    features = []
    for feature, feature_tags in zip(kept, tags, strict=True):
        body = (b"\x08" + varint(id_list[feature] & UINT64_MASK)
                + message(0x12, varints(feature_tags))
                + b"\x18\x03" + message(0x22, varints(commands[feature])))
        features.append(message(0x12, body))
    layer = (b"\x78\x02" + message(0x0A, name.encode()) + b"".join(features)
             + b"".join(message(0x1A, k.encode()) for k in properties) + b"".join(values)
             + b"\x28" + varint(extent))
    return message(0x1A, layer)
