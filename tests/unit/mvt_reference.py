"""A plain reference of the MVT polygon geometry rules, written for clarity, as a test oracle.

Rings rounded half to even to tile units, closing and repeated points left out, exteriors wound
with positive area (y down) and interiors negative, rings of under 3 points or no area dropped (an
unusable exterior with its holes), the cursor starting at (0, 0) in each feature.
"""

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
        point = (int(round(x)), int(round(y)))  # Python rounds half to even, as numpy
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
