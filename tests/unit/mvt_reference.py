"""A plain reference of the MVT polygon geometry rules and of the values table, written for
clarity, as a test oracle.

Rings rounded half to even to tile units, closing and repeated points left out, exteriors wound
with positive area (y down) and interiors negative, rings of under 3 points or no area dropped (an
unusable exterior with its holes), the cursor starting at (0, 0) in each feature. Values listed
once per column (numbers ascending, texts in order of first use), written by protobuf itself.
"""

import math

import numpy as np
from mapbox_vector_tile.Mapbox import vector_tile_pb2

MOVE_TO_1, CLOSE_PATH = 9, 15


def _zigzag(value: int) -> int:
    return (value << 1) ^ (value >> 63)


def _polygons(geometry) -> list:
    if geometry is None or geometry.is_empty:
        return []
    if geometry.geom_type == "Polygon":
        return [geometry]
    return [p for p in getattr(geometry, "geoms", []) if p.geom_type == "Polygon"]


def _ring(coords, scale: float, offset: tuple[float, float], transform: bool) -> list:
    points = []
    for x, y in list(coords)[:-1]:
        if transform:
            x, y = x * scale + offset[0], offset[1] - y * scale
        point = (round(x), round(y))  # Python rounds half to even, as numpy
        if not points or points[-1] != point:
            points.append(point)
    return points


def _area2(points: list) -> float:
    total = 0.0
    for i, (x, y) in enumerate(points):
        x2, y2 = points[(i + 1) % len(points)]
        total += float(x * y2 - x2 * y)
    return total


def feature_commands(geometry, scale: float = 1.0, offset=(0.0, 0.0)) -> list[int]:
    """The MVT geometry commands of one (multi)polygon ([]: nothing polygonal left)."""
    transform = scale != 1.0 or tuple(offset) != (0.0, 0.0)
    commands, cursor = [], (0, 0)
    for polygon in _polygons(geometry):
        rings = [polygon.exterior, *polygon.interiors] if not polygon.is_empty else []
        for index, ring in enumerate(rings):
            points = _ring(ring.coords, scale, offset, transform)
            area2 = _area2(points) if len(points) >= 3 else 0.0
            if area2 == 0:
                if index == 0:
                    break  # the exterior is unusable: its holes go with it
                continue
            if (area2 > 0) != (index == 0):
                points.reverse()
            (x, y), previous = points[0], points[0]
            commands += [MOVE_TO_1, _zigzag(x - cursor[0]), _zigzag(y - cursor[1]),
                         2 | ((len(points) - 1) << 3)]
            for point in points[1:]:
                commands += [_zigzag(point[0] - previous[0]), _zigzag(point[1] - previous[1])]
                previous = point
            commands.append(CLOSE_PATH)
            cursor = points[-1]
    return commands


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def reference_values(properties: dict, features) -> tuple[bytes, list[list[int]]]:
    """(the values table of the given features, layer field 4 as protobuf serializes it; their
    tags: per feature, key index and value index of each column, -1 where it is missing).
    Integer columns are written as int_value, float ones as double_value, anything else as the
    str() of it; None and NaN leave the attribute out."""
    layer = vector_tile_pb2.tile.layer()
    tags: list[list[int]] = [[] for _ in features]
    for key_index, column in enumerate(properties.values()):
        column = np.asarray(column)
        kind, picked = column.dtype.kind, [column[i] for i in features]
        if kind in "iu":
            field, picked = "int_value", [int(v) for v in picked]
            distinct = sorted(set(picked))
        elif kind == "f":
            field, picked = "double_value", [None if math.isnan(v) else float(v) for v in picked]
            distinct = sorted({v for v in picked if v is not None})
        else:
            field, picked = "string_value", [None if _missing(v) else str(v) for v in picked]
            distinct = list(dict.fromkeys(v for v in picked if v is not None))
        first = len(layer.values)
        index = {value: first + k for k, value in enumerate(distinct)}
        for value in distinct:
            setattr(layer.values.add(), field, value)
        for row, value in zip(tags, picked, strict=True):
            row += [key_index, -1 if value is None else index[value]]
    return layer.SerializePartialToString(), tags
