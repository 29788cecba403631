"""Check feature geometries: valid (Multi)Polygons pass as MultiPolygons, invalid ones are
repaired where they keep an area, anything else is refused with its reason."""

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from webapp.importing.attributes import RowError

POLYGON, MULTIPOLYGON = 3, 6  # shapely type ids


@dataclass
class CheckedGeometries:
    """Per feature: the MultiPolygon to store (None when refused), the repair note ('' when
    none was needed) and the refusal reason (None when it passed; an exception other than
    RowError is kept as it is, to be raised if the row's other checks pass)."""

    polygons: np.ndarray
    notes: np.ndarray
    errors: np.ndarray


def check_geometry(geometry: BaseGeometry | None) -> tuple[BaseGeometry, str]:
    """A valid (Multi)Polygon and a repair note ('' when none was needed), or RowError."""
    if geometry is None or geometry.is_empty:
        raise RowError("empty geometry")
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise RowError(f"geometry is a {geometry.geom_type}, not a polygon")
    if geometry.is_valid:
        return shapely.multipolygons(shapely.get_parts(geometry)), ""
    reason = shapely.is_valid_reason(geometry)
    parts = shapely.get_parts(shapely.make_valid(geometry))
    polygons = shapely.get_parts(parts[shapely.get_type_id(parts) >= 3])
    polygons = polygons[shapely.get_type_id(polygons) == 3]
    if len(polygons) == 0:
        raise RowError(f"invalid geometry ({reason}) has no area after repair")
    return shapely.multipolygons(polygons), f"repaired invalid geometry: {reason}"


def check_geometries(geometries: np.ndarray) -> CheckedGeometries:
    """check_geometry for every feature: valid polygons at once, the others one by one."""
    count = len(geometries)
    polygons = np.full(count, None, dtype=object)
    notes = np.full(count, "", dtype=object)
    errors = np.full(count, None, dtype=object)
    type_ids = shapely.get_type_id(geometries)
    empty = (type_ids < 0) | shapely.is_empty(geometries)
    errors[empty] = "empty geometry"
    fast = ~empty & ((type_ids == POLYGON) | (type_ids == MULTIPOLYGON))
    fast[fast] = shapely.is_valid(geometries[fast])
    single = fast & (type_ids == POLYGON)
    polygons[single] = shapely.multipolygons(geometries[single].reshape(-1, 1))
    multiple = fast & (type_ids == MULTIPOLYGON)
    polygons[multiple] = geometries[multiple]  # already what check_geometry would rebuild
    for i in np.flatnonzero(~empty & ~fast):  # other types and invalid polygons
        try:
            polygons[i], notes[i] = check_geometry(geometries[i])
        except RowError as error:
            errors[i] = str(error)
        except Exception as error:  # noqa: BLE001 - raised later, if the row gets this far
            errors[i] = error
    return CheckedGeometries(polygons, notes, errors)
