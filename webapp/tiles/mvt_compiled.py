"""The loops of MVT writing compiled to machine code (numba): geometry commands and features.

A z16 parcel tile holds some twenty features and a z12 tile thousands; written point by point in
compiled loops, either takes microseconds where numpy's per-call cost (small tiles) or Python's
per-point cost (large ones) used to rule. Functions compile on first use and are cached on disk
next to this module (numba's cache), so later processes load them in milliseconds; they release
the GIL, so a threaded server encodes tiles in parallel.

Geometry rules (the MVT 2.1 spec): coordinates rounded half to even to integer tile units, the
closing point and points equal to the one before them left out; exteriors wound with positive
area in tile coordinates (y down), interiors negative; a ring of under 3 points or no area is
dropped, an unusable exterior with its holes; the cursor starts at (0, 0) in each feature and runs
on across its rings.
"""

import numba
import numpy as np

MOVE_TO_1 = 9  # MoveTo (1) with count 1
CLOSE_PATH = 15  # ClosePath (7) with count 1
LINE_TO = 2  # LineTo command id; the count goes in the bits above the 3 id bits
MAX_VARINT_BYTES = 10  # a 64-bit value written as a protobuf varint takes at most this many
VALUE_TAG = 0x22  # layer field 4 (values), length-delimited
FEATURE_FIXED_BYTES = 64  # upper bound of a feature's tags, ids and headers beside its varints

compiled = numba.njit(cache=True, nogil=True)


@compiled
def _put_varint(out, pos, value):
    """Write one unsigned value as a protobuf varint at pos; returns the position after it."""
    value = np.uint64(value)
    while value >= 0x80:
        out[pos] = np.uint8((value & np.uint64(0x7F)) | np.uint64(0x80))
        value = value >> np.uint64(7)
        pos += 1
    out[pos] = np.uint8(value)
    return pos + 1


@compiled
def _varint_size(value):
    value = np.uint64(value)
    size = 1
    while value >= 0x80:
        value = value >> np.uint64(7)
        size += 1
    return size


@compiled
def _zigzag(value):
    return np.uint64((value << 1) ^ (value >> 63))


@compiled
def geometry_commands(xy, point_ring, ring_part, part_feature, feature_count, scale, offset_x,
                      offset_y, transform):
    """The polygon geometry commands of each feature as protobuf varints.

    xy: ring coordinates (closing point included), point_ring: the ring of each point (rings in
    order, a part's exterior first), ring_part and part_feature: the part of each ring and the
    feature of each part, both ascending. With transform, coordinates are taken to tile units
    as (x·scale + offset_x, offset_y − y·scale); without, they are tile units already.
    Returns (bytes, start and end of each feature's commands in them; equal: nothing left)."""
    ring_count = len(ring_part)
    ring_points = np.zeros(ring_count, np.int64)
    for i in range(len(point_ring)):
        ring_points[point_ring[i]] += 1
    longest = 0
    for r in range(ring_count):
        longest = max(longest, ring_points[r])
    out = np.empty(MAX_VARINT_BYTES * (2 * len(point_ring) + 4 * ring_count) + 1, np.uint8)
    feature_start = np.zeros(feature_count, np.int64)
    feature_end = np.zeros(feature_count, np.int64)
    xs = np.empty(longest, np.int64)
    ys = np.empty(longest, np.int64)
    pos, first, dropped_part, cursor_feature, cx, cy = 0, 0, -1, -1, 0, 0
    for r in range(ring_count):
        n, start = ring_points[r], first
        first += n
        part = ring_part[r]
        exterior = r == 0 or ring_part[r - 1] != part
        if part == dropped_part:
            continue
        m = 0
        for i in range(start, start + n - 1):  # the closing point repeats the first
            if transform:
                x = np.int64(np.rint(xy[i, 0] * scale + offset_x))
                y = np.int64(np.rint(offset_y - xy[i, 1] * scale))
            else:
                x, y = np.int64(np.rint(xy[i, 0])), np.int64(np.rint(xy[i, 1]))
            if m > 0 and x == xs[m - 1] and y == ys[m - 1]:
                continue
            xs[m], ys[m] = x, y
            m += 1
        area2 = 0.0  # twice the signed area, summed point by point in float
        for i in range(m):
            j = i + 1 if i + 1 < m else 0
            area2 += np.float64(xs[i] * ys[j] - xs[j] * ys[i])
        if m < 3 or area2 == 0:
            if exterior:
                dropped_part = part
            continue
        if (area2 > 0) != exterior:
            xs[:m], ys[:m] = xs[:m][::-1].copy(), ys[:m][::-1].copy()
        feature = part_feature[part]
        if feature != cursor_feature:
            cursor_feature, cx, cy = feature, 0, 0
            feature_start[feature] = pos
        pos = _put_varint(out, pos, MOVE_TO_1)
        pos = _put_varint(out, pos, _zigzag(xs[0] - cx))
        pos = _put_varint(out, pos, _zigzag(ys[0] - cy))
        pos = _put_varint(out, pos, LINE_TO | ((m - 1) << 3))
        for i in range(1, m):
            pos = _put_varint(out, pos, _zigzag(xs[i] - xs[i - 1]))
            pos = _put_varint(out, pos, _zigzag(ys[i] - ys[i - 1]))
        pos = _put_varint(out, pos, CLOSE_PATH)
        cx, cy = xs[m - 1], ys[m - 1]
        feature_end[feature] = pos
    return out[:pos], feature_start, feature_end


@compiled
def feature_messages(features, ids, tags, commands, command_start, command_end):
    """The layer's feature fields (layer field 2) of the given features, in order: id, tags
    (tags[k]: key and value index pairs of the k-th given feature, -1 as value: none), type
    polygon and geometry (the feature's span of `commands`)."""
    size = 0
    for k in range(len(features)):
        f = features[k]
        size += (command_end[f] - command_start[f] + FEATURE_FIXED_BYTES
                 + MAX_VARINT_BYTES * tags.shape[1])
    out = np.empty(size, np.uint8)
    pos = 0
    for k in range(len(features)):
        f = features[k]
        tag_bytes = 0
        for c in range(0, tags.shape[1], 2):
            if tags[k, c + 1] >= 0:
                tag_bytes += _varint_size(tags[k, c]) + _varint_size(tags[k, c + 1])
        geometry_bytes = command_end[f] - command_start[f]
        body = (1 + _varint_size(ids[f]) + 1 + _varint_size(tag_bytes) + tag_bytes + 2 + 1
                + _varint_size(geometry_bytes) + geometry_bytes)
        out[pos] = 0x12
        pos = _put_varint(out, pos + 1, body)
        out[pos] = 0x08
        pos = _put_varint(out, pos + 1, ids[f])
        out[pos] = 0x12
        pos = _put_varint(out, pos + 1, tag_bytes)
        for c in range(0, tags.shape[1], 2):
            if tags[k, c + 1] >= 0:
                pos = _put_varint(out, pos, tags[k, c])
                pos = _put_varint(out, pos, tags[k, c + 1])
        out[pos], out[pos + 1], out[pos + 2] = 0x18, 3, 0x22
        pos = _put_varint(out, pos + 3, geometry_bytes)
        out[pos:pos + geometry_bytes] = commands[command_start[f]:command_end[f]]
        pos += geometry_bytes
    return out[:pos]


@compiled
def number_values(values, features, doubles):
    """The value messages of the given features' numbers (doubles: double_value, else int_value
    of int64 values, written as uint64) for the distinct ones, ascending (NaN: missing), and
    each feature's index among them (-1: missing)."""
    picked = values[features]
    present = picked[picked == picked]  # NaN is not equal to itself
    distinct = np.unique(present)
    codes = np.full(len(picked), -1, np.int64)
    for k in range(len(picked)):
        if picked[k] == picked[k]:
            codes[k] = np.searchsorted(distinct, picked[k])
    out = np.empty(len(distinct) * (3 + MAX_VARINT_BYTES), np.uint8)
    pos = 0
    if doubles:
        raw = distinct.view(np.uint8)
        for i in range(len(distinct)):
            out[pos], out[pos + 1], out[pos + 2] = VALUE_TAG, 9, 0x19  # 1 tag + 8 bytes
            out[pos + 3:pos + 11] = raw[8 * i:8 * i + 8]
            pos += 11
    else:
        for i in range(len(distinct)):
            value = np.uint64(distinct[i])
            out[pos], out[pos + 1], out[pos + 2] = VALUE_TAG, 1 + _varint_size(value), 0x20
            pos = _put_varint(out, pos + 3, value)
    return out[:pos], codes
