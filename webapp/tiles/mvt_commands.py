"""MVT geometry commands, compiled to machine code (numba): polygons from rings in any shape
shapely hands them over, and from plain plots straight from their WKB (cut to the tile when they
are convex); lines and points (context layers) from their coordinates. Commands come out as
integers; mvt_messages writes them as protobuf varints.

A z16 parcel tile holds some twenty features and a z12 tile thousands; written point by point in
compiled loops, either takes microseconds where numpy's or shapely's per-call cost (small tiles)
or Python's per-point cost (large ones) used to rule. Functions compile on first use and are
cached on disk next to this module (numba's cache), so later processes load them in
milliseconds; they release the GIL, so a threaded server encodes tiles in parallel. They call
only functions of this module: numba's cache notices when a function's own file changes, not
when a function it calls from another file does (a test keeps it so).

Geometry rules (the MVT 2.1 spec): coordinates rounded half to even to integer tile units, the
closing point and points equal to the one before them left out; exteriors wound with positive
area in tile coordinates (y down), interiors negative; a ring of under 3 points or no area is
dropped, an unusable exterior with its holes; the cursor starts at (0, 0) in each feature and runs
on across its rings. A line is MoveTo and one LineTo of its other points (repeated points left
out, a line of under 2 points dropped); a feature's points are one MoveTo of them all."""

import numba
import numpy as np

MOVE_TO_1 = 9  # MoveTo (1) with count 1
CLOSE_PATH = 15  # ClosePath (7) with count 1
MOVE_TO, LINE_TO = 1, 2  # command ids; the count goes in the bits above the 3 id bits
RING_COMMANDS = 4  # the integers of a ring besides its points': MoveTo, LineTo, ClosePath and
# the first point's second coordinate counted with MoveTo's pair

compiled = numba.njit(cache=True, nogil=True)


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
def _put_line(out, pos, xs, ys, m, cx, cy):
    """Write the MoveTo and LineTo of m points (m ≥ 2) at pos from cursor (cx, cy); returns the
    position after them (the cursor ends at the last point)."""
    out[pos] = MOVE_TO_1
    out[pos + 1] = _zigzag(xs[0] - cx)
    out[pos + 2] = _zigzag(ys[0] - cy)
    out[pos + 3] = LINE_TO | ((m - 1) << 3)
    pos += 4
    for i in range(1, m):
        out[pos] = _zigzag(xs[i] - xs[i - 1])
        out[pos + 1] = _zigzag(ys[i] - ys[i - 1])
        pos += 2
    return pos


@compiled
def _put_ring(out, pos, xs, ys, m, cx, cy):
    """Write a usable ring's commands at pos from cursor (cx, cy); returns the position after
    them (the cursor ends at the ring's last point). _put_line's loop written out again: calling
    it costs the parcel tiles' hot loop some 7 %."""
    out[pos] = MOVE_TO_1
    out[pos + 1] = _zigzag(xs[0] - cx)
    out[pos + 2] = _zigzag(ys[0] - cy)
    out[pos + 3] = LINE_TO | ((m - 1) << 3)
    pos += 4
    for i in range(1, m):
        out[pos] = _zigzag(xs[i] - xs[i - 1])
        out[pos + 1] = _zigzag(ys[i] - ys[i - 1])
        pos += 2
    out[pos] = CLOSE_PATH
    return pos + 1


@compiled
def geometry_commands(xy, point_ring, ring_part, part_feature, feature_count, scale, offset_x,
                      offset_y, transform):
    """The polygon geometry commands of each feature.

    xy: ring coordinates (closing point included), point_ring: the ring of each point (rings in
    order, a part's exterior first), ring_part and part_feature: the part of each ring and the
    feature of each part, both ascending. With transform, coordinates are taken to tile units
    as (x·scale + offset_x, offset_y - y·scale); without, they are tile units already.
    Returns (commands as uint64, start and end of each feature's in them; equal: nothing left)."""
    ring_count = len(ring_part)
    ring_points = np.zeros(ring_count, np.int64)
    for i in range(len(point_ring)):
        ring_points[point_ring[i]] += 1
    longest = 0
    for r in range(ring_count):
        longest = max(longest, ring_points[r])
    out = np.empty(2 * len(point_ring) + RING_COMMANDS * ring_count + 1, np.uint64)
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
def _counts(index, count):
    """How many entries of an index array name each of 0 .. count-1."""
    counts = np.zeros(count, np.int64)
    for i in range(len(index)):
        counts[index[i]] += 1
    return counts


@compiled
def line_commands(xy, point_line, line_feature, feature_count, scale, offset_x, offset_y,
                  transform):
    """The linestring geometry commands of each feature.

    xy: line coordinates, point_line: the line of each point, line_feature: the feature of each
    line, both ascending; scale, offsets and transform as in geometry_commands. A line left with
    under 2 points once rounded is dropped. Returns (commands as uint64, start and end of each
    feature's in them; equal: nothing left)."""
    line_points = _counts(point_line, len(line_feature))
    longest = 0
    for k in range(len(line_feature)):
        longest = max(longest, line_points[k])
    out = np.empty(2 * len(point_line) + 2 * len(line_feature) + 1, np.uint64)
    feature_start = np.zeros(feature_count, np.int64)
    feature_end = np.zeros(feature_count, np.int64)
    xs = np.empty(longest, np.int64)
    ys = np.empty(longest, np.int64)
    x, y = xy[:, 0], xy[:, 1]
    pos, first, cursor_feature, cx, cy = 0, 0, -1, 0, 0
    for k in range(len(line_feature)):
        n, start = line_points[k], first
        first += n
        m = _tile_points(x, y, start, n, transform, scale, offset_x, offset_y, xs, ys)
        if m < 2:
            continue
        feature = line_feature[k]
        if feature != cursor_feature:
            cursor_feature, cx, cy = feature, 0, 0
            feature_start[feature] = pos
        pos = _put_line(out, pos, xs, ys, m, cx, cy)
        cx, cy = xs[m - 1], ys[m - 1]
        feature_end[feature] = pos
    return out[:pos], feature_start, feature_end


@compiled
def point_commands(xy, point_feature, feature_count, scale, offset_x, offset_y, transform):
    """The point geometry commands of each feature: one MoveTo of all its points, in order.

    xy: the points, point_feature: the feature of each (ascending); scale, offsets and transform
    as in geometry_commands. Returns (commands as uint64, start and end of each feature's in
    them; equal: the feature has no point)."""
    feature_points = _counts(point_feature, feature_count)
    out = np.empty(2 * len(point_feature) + feature_count + 1, np.uint64)
    feature_start = np.zeros(feature_count, np.int64)
    feature_end = np.zeros(feature_count, np.int64)
    pos, cursor_feature, cx, cy = 0, -1, 0, 0
    for i in range(len(point_feature)):
        feature = point_feature[i]
        if feature != cursor_feature:
            cursor_feature, cx, cy = feature, 0, 0
            feature_start[feature] = pos
            out[pos] = MOVE_TO | (feature_points[feature] << 3)
            pos += 1
        if transform:
            px = np.int64(np.rint(xy[i, 0] * scale + offset_x))
            py = np.int64(np.rint(offset_y - xy[i, 1] * scale))
        else:
            px, py = np.int64(np.rint(xy[i, 0])), np.int64(np.rint(xy[i, 1]))
        out[pos] = _zigzag(px - cx)
        out[pos + 1] = _zigzag(py - cy)
        cx, cy = px, py
        pos += 2
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
def _cut_to_rect(x, y, n, cut_x, cut_y, west, south, east, north):
    """A convex ring of n points (closing point excluded) in x, y cut to the rectangle, in place;
    returns its new count (0: nothing left, -1: more points than x holds)."""
    n = _clip_side(x, y, n, cut_x, cut_y, 0, west, True)
    if n > 0:
        n = _clip_side(cut_x, cut_y, n, x, y, 0, east, False)
    if n > 0:
        n = _clip_side(x, y, n, cut_x, cut_y, 1, south, True)
    if n > 0:
        n = _clip_side(cut_x, cut_y, n, x, y, 1, north, False)
    return n


@compiled
def plain_plot_commands(data, ends, max_points, west, south, east, north, scale, offset_x,
                        offset_y):
    """The geometry commands of the features that are plain plots, straight from their WKB.

    data: the features' WKB end to end (the k-th ends at ends[k]), in a y-up CRS taken to tile
    units as in geometry_commands. A plain plot is a little-endian 2-D Polygon without holes of
    at most max_points coordinates (the ones a tile never simplifies). One inside the rectangle
    west, south, east, north is written as it is; one crossing it is clipped to it, when convex
    (exact: its cut is one convex ring). Returns (commands as uint64, start and end of each
    feature's in them, whether a feature is left to the general path: not a plain plot, or not
    convex where it crosses)."""
    count = len(ends)
    cap = 2 * max_points + 8  # a convex ring's 4 cuts add at most 4 points; a cut that
    # would overflow this (float error on a degenerate ring) leaves the plot to shapely
    out = np.empty(count * (2 * cap + RING_COMMANDS) + 1, np.uint64)
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
            n = _cut_to_rect(x, y, n, cut_x, cut_y, west, south, east, north)
            if n < 0:
                other[f] = True
                continue
        m = _tile_points(x, y, 0, n, True, scale, offset_x, offset_y, xs, ys)
        if _usable_ring(xs, ys, m, True):
            feature_start[f] = pos
            pos = _put_ring(out, pos, xs, ys, m, 0, 0)
            feature_end[f] = pos
    return out[:pos], feature_start, feature_end, other
