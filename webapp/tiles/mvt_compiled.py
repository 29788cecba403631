"""The loops of MVT writing compiled to machine code (numba): geometry commands, plain plots
straight from WKB, feature messages and small values tables.

A z16 parcel tile holds some twenty features and a z12 tile thousands; written point by point in
compiled loops, either takes microseconds where numpy's or shapely's per-call cost (small tiles)
or Python's per-point cost (large ones) used to rule. Functions compile on first use and are
cached on disk next to this module (numba's cache), so later processes load them in
milliseconds; they release the GIL, so a threaded server encodes tiles in parallel. They stay in
this one module: numba's cache notices when a function's own file changes, not when a function it
calls from another file does.

Geometry rules (the MVT 2.1 spec): coordinates rounded half to even to integer tile units, the
closing point and points equal to the one before them left out; exteriors wound with positive
area in tile coordinates (y down), interiors negative; a ring of under 3 points or no area is
dropped, an unusable exterior with its holes; the cursor starts at (0, 0) in each feature and runs
on across its rings."""

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
def _tile_points(x, y, first, n, transform, scale, offset_x, offset_y, xs, ys):
    """Points first .. first+n-1 of a ring (its closing point excluded) rounded to tile units in
    xs, ys, a point equal to the one before it left out; returns how many are kept."""
    m = 0
    for i in range(first, first + n):
        if transform:
            px = np.int64(np.rint(x[i] * scale + offset_x))
            py = np.int64(np.rint(offset_y - y[i] * scale))
        else:
            px, py = np.int64(np.rint(x[i])), np.int64(np.rint(y[i]))
        if m > 0 and px == xs[m - 1] and py == ys[m - 1]:
            continue
        xs[m], ys[m] = px, py
        m += 1
    return m


@compiled
def _usable_ring(xs, ys, m, exterior):
    """Whether a rounded ring of m points has area, after winding it as its role asks."""
    area2 = 0.0  # twice the signed area, summed point by point in float
    for i in range(m):
        j = i + 1 if i + 1 < m else 0
        area2 += np.float64(xs[i] * ys[j] - xs[j] * ys[i])
    if m < 3 or area2 == 0:
        return False
    if (area2 > 0) != exterior:
        xs[:m], ys[:m] = xs[:m][::-1].copy(), ys[:m][::-1].copy()
    return True


@compiled
def _put_ring(out, pos, xs, ys, m, cx, cy):
    """Write a usable ring's commands from cursor (cx, cy); the cursor ends at its last point."""
    pos = _put_varint(out, pos, MOVE_TO_1)
    pos = _put_varint(out, pos, _zigzag(xs[0] - cx))
    pos = _put_varint(out, pos, _zigzag(ys[0] - cy))
    pos = _put_varint(out, pos, LINE_TO | ((m - 1) << 3))
    for i in range(1, m):
        pos = _put_varint(out, pos, _zigzag(xs[i] - xs[i - 1]))
        pos = _put_varint(out, pos, _zigzag(ys[i] - ys[i - 1]))
    return _put_varint(out, pos, CLOSE_PATH)


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
    x, y = xy[:, 0], xy[:, 1]
    pos, first, dropped_part, cursor_feature, cx, cy = 0, 0, -1, -1, 0, 0
    for r in range(ring_count):
        n, start = ring_points[r], first
        first += n
        part = ring_part[r]
        exterior = r == 0 or ring_part[r - 1] != part
        if part == dropped_part:
            continue
        m = _tile_points(x, y, start, n - 1, transform, scale, offset_x, offset_y, xs, ys)
        if not _usable_ring(xs, ys, m, exterior):
            if exterior:
                dropped_part = part
            continue
        feature = part_feature[part]
        if feature != cursor_feature:
            cursor_feature, cx, cy = feature, 0, 0
            feature_start[feature] = pos
        pos = _put_ring(out, pos, xs, ys, m, cx, cy)
        cx, cy = xs[m - 1], ys[m - 1]
        feature_end[feature] = pos
    return out[:pos], feature_start, feature_end


@compiled
def _wkb_uint32(data, at):
    return (np.int64(data[at]) | (np.int64(data[at + 1]) << 8) | (np.int64(data[at + 2]) << 16)
            | (np.int64(data[at + 3]) << 24))


@compiled
def _convex(x, y, n):
    """Whether a ring of n points (closing point excluded) bounds a convex area: every turn the
    same way, and the edges turning from rightward to leftward at most twice (a five-pointed
    star turns one way too, but goes round twice)."""
    turn = 0.0
    for i in range(n):
        j, k = (i + 1) % n, (i + 2) % n
        cross = (x[j] - x[i]) * (y[k] - y[j]) - (y[j] - y[i]) * (x[k] - x[j])
        if cross != 0:
            if turn != 0 and (cross > 0) != (turn > 0):
                return False
            turn = cross
    first, last, changes = 0, 0, 0
    for i in range(n):
        dx = x[(i + 1) % n] - x[i]
        if dx != 0:
            way = 1 if dx > 0 else -1
            if last == 0:
                first = way
            elif way != last:
                changes += 1
            last = way
    if last != 0 and last != first:
        changes += 1
    return changes <= 2


@compiled
def _clip_side(x, y, n, out_x, out_y, axis, bound, keep_above):
    """One Sutherland-Hodgman step: the ring (n points, closing point excluded) cut by the line
    x = bound (axis 0) or y = bound (axis 1), keeping the side above or below; returns its count
    in out_x, out_y (-1: more points than out_x holds). Exact for a convex ring, whose cut is
    one convex ring."""
    m = 0
    for i in range(n):
        if m + 2 > len(out_x):
            return -1
        p = n - 1 if i == 0 else i - 1
        cur = x[i] if axis == 0 else y[i]
        prev = x[p] if axis == 0 else y[p]
        cur_in = cur >= bound if keep_above else cur <= bound
        prev_in = prev >= bound if keep_above else prev <= bound
        if cur_in != prev_in:
            t = (bound - prev) / (cur - prev)
            if axis == 0:
                out_x[m], out_y[m] = bound, y[p] + t * (y[i] - y[p])
            else:
                out_x[m], out_y[m] = x[p] + t * (x[i] - x[p]), bound
            m += 1
        if cur_in:
            out_x[m], out_y[m] = x[i], y[i]
            m += 1
    return m


@compiled
def plain_plot_commands(data, ends, max_points, west, south, east, north, scale, offset_x,
                        offset_y):
    """The geometry commands of the features that are plain plots, straight from their WKB.

    data: the features' WKB end to end (the k-th ends at ends[k]), in a y-up CRS taken to tile
    units as in geometry_commands. A plain plot is a little-endian 2-D Polygon without holes of
    at most max_points coordinates (the ones a tile never simplifies). One inside the rectangle
    west, south, east, north is written as it is; one crossing it is clipped to it, when convex
    (exact: its cut is one convex ring). Returns (bytes, start and end of each feature's commands
    in them, whether a feature is left to the general path: not a plain plot, or not convex
    where it crosses)."""
    count = len(ends)
    cap = 2 * max_points + 8  # a convex ring's 4 cuts add at most 4 points; a cut that
    # would overflow this (float error on a degenerate ring) leaves the plot to shapely
    out = np.empty(count * MAX_VARINT_BYTES * (2 * cap + 5) + 1, np.uint8)
    feature_start = np.zeros(count, np.int64)
    feature_end = np.zeros(count, np.int64)
    other = np.zeros(count, np.bool_)
    x, y = np.empty(cap, np.float64), np.empty(cap, np.float64)
    cut_x, cut_y = np.empty(cap, np.float64), np.empty(cap, np.float64)
    xs, ys = np.empty(cap, np.int64), np.empty(cap, np.int64)
    pos, begin = 0, 0
    for f in range(count):
        at, begin = begin, ends[f]
        if (ends[f] - at < 13 or data[at] != 1 or _wkb_uint32(data, at + 1) != 3
                or _wkb_uint32(data, at + 5) != 1):
            other[f] = True
            continue
        points = _wkb_uint32(data, at + 9)
        if points > max_points or points < 4 or ends[f] - at != 13 + 16 * points:
            other[f] = True
            continue
        coordinates = data[at + 13:ends[f]].copy().view(np.float64)
        n = points - 1  # the closing point repeats the first
        inside = True
        for i in range(n):
            x[i], y[i] = coordinates[2 * i], coordinates[2 * i + 1]
            inside = inside and west <= x[i] <= east and south <= y[i] <= north
        if not inside:
            if not _convex(x, y, n):
                other[f] = True
                continue
            n = _clip_side(x, y, n, cut_x, cut_y, 0, west, True)
            if n > 0:
                n = _clip_side(cut_x, cut_y, n, x, y, 0, east, False)
            if n > 0:
                n = _clip_side(x, y, n, cut_x, cut_y, 1, south, True)
            if n > 0:
                n = _clip_side(cut_x, cut_y, n, x, y, 1, north, False)
            if n < 0:
                other[f] = True
                continue
        m = _tile_points(x, y, 0, n, True, scale, offset_x, offset_y, xs, ys)
        if _usable_ring(xs, ys, m, True):
            feature_start[f] = pos
            pos = _put_ring(out, pos, xs, ys, m, 0, 0)
            feature_end[f] = pos
    return out[:pos], feature_start, feature_end, other


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


NUMBER_INT, NUMBER_DOUBLE, TEXT = 0, 1, 2  # the kinds of attribute columns small_layer_values takes


@compiled
def small_layer_values(kinds, ints, doubles, text_data, text_lengths, features):
    """The values table and tags of a layer's given features (mvt_values.layer_values).

    kinds: each attribute column's kind; the c-th column of a kind is ints[:, c] (int_value,
    written as uint64), doubles[:, c] (double_value, NaN: missing), both indexed by feature, or
    the c-th row of text_lengths: the UTF-8 byte count (-1: missing) of each given feature's text,
    all texts laid end to end in text_data column after column. Numbers are listed ascending,
    texts in order of first use, each distinct value once per column."""
    count, columns = len(features), len(kinds)
    tags = np.empty((count, 2 * columns), np.int64)
    size = len(text_data) + count * columns * (3 + 2 * MAX_VARINT_BYTES)
    out = np.empty(size, np.uint8)
    pos, listed, text_start = 0, 0, 0
    used = np.zeros(3, np.int64)  # columns of each kind seen so far
    for c in range(columns):
        kind = kinds[c]
        k = used[kind]
        used[kind] += 1
        if kind == TEXT:
            lengths = text_lengths[k]
            pos, codes, distinct = _text_messages(text_data, text_start, lengths, out, pos)
            for i in range(count):
                text_start += max(lengths[i], 0)
        elif kind == NUMBER_DOUBLE:
            picked_doubles = np.empty(count, np.float64)
            for i in range(count):
                picked_doubles[i] = doubles[features[i], k]
            pos, codes, distinct = _number_messages(picked_doubles, True, out, pos)
        else:
            picked_ints = np.empty(count, np.int64)
            for i in range(count):
                picked_ints[i] = ints[features[i], k]
            pos, codes, distinct = _number_messages(picked_ints, False, out, pos)
        for i in range(count):
            tags[i, 2 * c] = c
            tags[i, 2 * c + 1] = codes[i] + listed if codes[i] >= 0 else -1
        listed += distinct
    return out[:pos], tags


@compiled
def _number_messages(picked, doubles, out, pos):
    """Write the value messages of the distinct numbers (NaN: missing) ascending at pos; returns
    (the position after them, each number's index among them or -1, how many)."""
    present = picked[picked == picked]  # NaN is not equal to itself
    distinct = np.unique(present)
    codes = np.full(len(picked), -1, np.int64)
    for k in range(len(picked)):
        if picked[k] == picked[k]:
            codes[k] = np.searchsorted(distinct, picked[k])
    if doubles:
        raw = distinct.astype(np.float64).view(np.uint8)
        for i in range(len(distinct)):
            out[pos], out[pos + 1], out[pos + 2] = VALUE_TAG, 9, 0x19  # 1 tag + 8 bytes
            out[pos + 3:pos + 11] = raw[8 * i:8 * i + 8]
            pos += 11
    else:
        for i in range(len(distinct)):
            value = np.uint64(np.int64(distinct[i]))
            out[pos], out[pos + 1], out[pos + 2] = VALUE_TAG, 1 + _varint_size(value), 0x20
            pos = _put_varint(out, pos + 3, value)
    return pos, codes, len(distinct)


@compiled
def _fnv1a(data, start, end):
    """A 64-bit FNV-1a hash of data[start:end] (tells most distinct texts apart cheaply)."""
    value = np.uint64(0xCBF29CE484222325)
    for i in range(start, end):
        value = (value ^ np.uint64(data[i])) * np.uint64(0x100000001B3)
    return value


@compiled
def _text_messages(data, first, lengths, out, pos):
    """Write the value messages (string_value) of the distinct texts, in order of first use, at
    pos; the texts lie end to end in data from `first` (lengths: byte counts, -1: missing).
    Returns (the position after them, each text's index among them or -1, how many)."""
    count = len(lengths)
    starts = np.zeros(count, np.int64)
    hashes = np.zeros(count, np.uint64)
    at = first
    for k in range(count):
        starts[k] = at
        if lengths[k] >= 0:
            hashes[k] = _fnv1a(data, at, at + lengths[k])
            at += lengths[k]
    codes = np.full(count, -1, np.int64)
    distinct = 0
    for k in range(count):
        n = lengths[k]
        if n < 0:
            continue
        for other in range(k):  # an earlier equal text gives its index
            if codes[other] >= 0 and hashes[other] == hashes[k] and lengths[other] == n \
                    and np.array_equal(data[starts[other]:starts[other] + n],
                                       data[starts[k]:starts[k] + n]):
                codes[k] = codes[other]
                break
        if codes[k] < 0:
            codes[k] = distinct
            distinct += 1
            out[pos] = VALUE_TAG
            pos = _put_varint(out, pos + 1, 1 + _varint_size(n) + n)
            out[pos] = 0x0A  # string_value, length-delimited
            pos = _put_varint(out, pos + 1, n)
            out[pos:pos + n] = data[starts[k]:starts[k] + n]
            pos += n
    return pos, codes, distinct
