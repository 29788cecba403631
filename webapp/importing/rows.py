"""Validate and convert each feature: geometry repair and attribute parsing, row by row."""

from dataclasses import dataclass

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from webapp.domain.area import compute_areas_m2
from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import ATTRIBUTE_TYPES, RANGES
from webapp.domain.units import M2_PER_MU
from webapp.importing.fields import RANGE_TARGETS
from webapp.importing.report import ACCEPTED, REJECTED, REPAIRED, RowOutcome
from webapp.importing.values import (
    is_blank,
    parse_number_text,
    parse_range_text,
    parse_status,
    parse_supply_method,
)

MIN_AREA_M2 = 1.0
DEFAULT_STATUS = "reserve"


class RowError(ValueError):
    """A feature that cannot be imported; the message says why."""


@dataclass
class GoodRow:
    """A feature that passed: its parcel attributes, polygon geometry and a note."""

    attributes: dict
    geometry: BaseGeometry
    note: str = ""
    repaired: bool = False


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


def _typed(target: str, value: object) -> object:
    kind = ATTRIBUTE_TYPES[target]
    if kind is str:
        return str(value).strip()
    number = parse_number_text(value)
    return int(round(number)) if kind is int else number


def _convert(target: str, value: object, record: dict, table: LandUseTable) -> None:
    if target in RANGE_TARGETS:
        record.update(zip(RANGE_TARGETS[target], parse_range_text(value), strict=True))
    elif target == "land_use":
        found = find_land_use(str(value), table)
        record["land_use"], record["land_use_source"] = found, str(value).strip()
    elif target == "status":
        record["status"] = parse_status(value)
    elif target == "supply_method":
        record["supply_method"] = parse_supply_method(value)
    elif target == "declared_area":
        record["declared_area"] = parse_number_text(value)
    else:
        record[target] = _typed(target, value)


def find_land_use(value: str, table: LandUseTable) -> str:
    """A 2023-scheme code for a code, a name, or 'code name' text; RowError when unknown."""
    text = value.strip()
    name = text.lstrip("0123456789 ").strip()
    found = (table.find(name) if name and name != text else None) or table.find(text)
    if found is None and name:
        found = table.find(name)
    if found is None:
        raise RowError(f"unknown land use “{value}”")
    return found.code


def convert_attributes(raw: dict, mapping: dict[str, str], table: LandUseTable) -> dict:
    """Parcel attributes from one raw feature; unmapped fields go to 'extra'. RowError if bad."""
    record: dict = {name: None for name in ATTRIBUTE_TYPES}
    record["extra"] = {k: v for k, v in raw.items() if k not in mapping and not is_blank(v)}
    for source, target in mapping.items():
        value = raw.get(source)
        if is_blank(value) or target == "ignore":
            continue
        try:
            _convert(target, value, record, table)
        except ValueError as error:
            raise RowError(f"{source}: {error}") from None
    if record["code"] is None:
        raise RowError("missing parcel code")
    if record["land_use"] is None:
        raise RowError("missing land use")
    for low, high in RANGES:
        if None not in (record[low], record[high]) and record[low] > record[high]:
            raise RowError(f"{low} {record[low]:g} is larger than {high} {record[high]:g}")
    return record


def _area_note(record: dict, area_m2: float, mapping: dict[str, str]) -> str:
    declared = record.pop("declared_area", None)
    if declared is None:
        return ""
    source = next((s for s, t in mapping.items() if t == "declared_area"), "")
    declared_m2 = declared * M2_PER_MU if "亩" in source or "mu" in source.lower() else declared
    if abs(declared_m2 - area_m2) > 0.01 * area_m2:
        return (f"declared area {declared:g} differs from the computed {area_m2:,.1f} m² "
                f"by more than 1%")
    return ""


def validate_rows(frame: gpd.GeoDataFrame, mapping: dict[str, str], table: LandUseTable,
                  progress=None, first_row: int = 1, seen: dict[str, int] | None = None,
                  total: int | None = None) -> tuple[list[GoodRow], list[RowOutcome]]:
    """Check every feature (lon/lat frame); returns the good rows and one outcome per row.

    For a file checked in chunks, `first_row` numbers the chunk's rows, `seen` (code → row)
    carries codes across chunks and `total` is the file's row count. `progress(done, total)`
    is called after each row.
    """
    areas = compute_areas_m2(frame.geometry)
    good, outcomes = [], []
    seen = {} if seen is None else seen
    records = frame.drop(columns="geometry").to_dict("records")
    total = total or len(records)
    for index, (raw, geometry) in enumerate(zip(records, frame.geometry, strict=True)):
        row = first_row + index
        code = None
        try:
            record = convert_attributes(raw, mapping, table)
            code = record["code"]
            if code in seen:
                raise RowError(f"duplicate code “{code}” (first in row {seen[code]})")
            polygon, repair = check_geometry(geometry)
            area = float(compute_areas_m2(gpd.GeoSeries([polygon], crs=frame.crs))[0]) \
                if repair else float(areas[index])
            if area < MIN_AREA_M2:
                raise RowError(f"sliver: area {area:.2f} m² is below {MIN_AREA_M2:g} m²")
            seen[code] = row
            if record["status"] is None:
                record["status"] = DEFAULT_STATUS
            note = "; ".join(filter(None, [repair, _area_note(record, area, mapping)]))
            good.append(GoodRow(record, polygon, note, bool(repair)))
            outcomes.append(RowOutcome(row, code, REPAIRED if repair else ACCEPTED, note))
        except RowError as error:
            outcomes.append(RowOutcome(row, code, REJECTED, str(error)))
        if progress:
            progress(row, total)
    return good, outcomes
