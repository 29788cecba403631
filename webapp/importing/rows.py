"""Validate a chunk of features: attributes, duplicate codes, geometry, area; one outcome a row.

Whole columns are checked at once; each row's outcome is the one the row-by-row rules give:
its first attribute problem, else a duplicate of an earlier accepted code, else a geometry
problem, else a sliver, else accepted or repaired (with what was repaired and any area note).
"""

from dataclasses import dataclass
from itertools import repeat

import geopandas as gpd
import numpy as np

from webapp.domain.area import compute_areas_m2
from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import ATTRIBUTE_TYPES
from webapp.domain.units import M2_PER_MU
from webapp.importing.columns import AttributeColumns, convert_attribute_columns, is_none
from webapp.importing.mapping import ImportMapping
from webapp.importing.polygons import CheckedGeometries, check_geometries
from webapp.importing.report import ACCEPTED, REJECTED, REPAIRED, RowOutcome
from webapp.importing.values import is_blank, plain_value

MIN_AREA_M2 = 1.0
DEFAULT_STATUS = "reserve"


@dataclass
class ValidRows:
    """The rows of a chunk that passed, in row order: attribute columns (ATTRIBUTE_TYPES,
    'extra', 'land_use_source' as lists of Python values) and their MultiPolygons (lon/lat)."""

    columns: dict[str, list]
    geometries: np.ndarray


def _raise_unexpected(errors: np.ndarray) -> None:
    """Raise the first row's problem that is an exception rather than a refusal, as checking
    the rows one by one would have."""
    for error in errors:
        if isinstance(error, BaseException):
            raise error


def _areas_m2(frame: gpd.GeoDataFrame, polygons: np.ndarray,
              repaired: np.ndarray) -> np.ndarray:
    """Features' areas as checked: the file's geometry, or the repaired one. The repaired are
    measured together (one projection, not one per parcel: an equal-area projection gives
    each its own area wherever it is centred)."""
    areas = np.array(compute_areas_m2(frame.geometry), dtype=np.float64)
    fixed = np.flatnonzero(repaired)
    if fixed.size:
        areas[fixed] = compute_areas_m2(gpd.GeoSeries(polygons[fixed], crs=frame.crs))
    return areas


def _first_rows(codes: np.ndarray, rows: np.ndarray, passing: np.ndarray,
                seen: dict[str, int]) -> np.ndarray:
    """Per row, the row that first passed with its code (earlier chunks first), or 0."""
    firsts = dict(zip(codes[passing][::-1].tolist(), rows[passing][::-1].tolist(), strict=True))
    names = codes.tolist()
    firsts.update((code, seen[code]) for code in seen.keys() & set(names))
    return np.fromiter(map(firsts.get, names, repeat(0)), dtype=np.int64, count=len(names))


def _area_notes(declared: np.ndarray, areas: np.ndarray, mapping: dict[str, str]) -> np.ndarray:
    """'declared area … differs …' where a declared area is more than 1% off, else ''."""
    notes = np.full(len(declared), "", dtype=object)
    source = next((s for s, t in mapping.items() if t == "declared_area"), "")
    given = ~is_none(declared)
    stated = declared[given].astype(float)
    stated_m2 = stated * M2_PER_MU if "亩" in source or "mu" in source.lower() else stated
    off = np.abs(stated_m2 - areas[given]) > 0.01 * areas[given]
    for i, value, area in zip(np.flatnonzero(given)[off], stated[off].tolist(),
                              areas[given][off].tolist(), strict=True):
        notes[i] = (f"declared area {value:g} differs from the computed {area:,.1f} m² "
                    f"by more than 1%")
    return notes


def _extra(frame: gpd.GeoDataFrame, mapping: dict[str, str], rows: np.ndarray) -> list[dict]:
    """Per chosen row, its non-blank values of the fields the mapping leaves unmapped."""
    unmapped = [c for c in frame.columns if c != "geometry" and c not in mapping]
    if not unmapped:
        return [{} for _ in rows]
    records = frame[unmapped].iloc[rows].to_dict("records")
    return [{k: plain_value(v) for k, v in record.items() if not is_blank(v)}
            for record in records]


def _valid_rows(frame, attributes: AttributeColumns, polygons, good, mapping) -> ValidRows:
    columns = {name: attributes.fields[name][good] for name in (*ATTRIBUTE_TYPES,
                                                                 "land_use_source")}
    columns["status"][is_none(columns["status"])] = DEFAULT_STATUS
    columns = {name: values.tolist() for name, values in columns.items()}
    columns["extra"] = _extra(frame, mapping, np.flatnonzero(good))
    return ValidRows(columns, polygons[good])


def _join_notes(repairs: np.ndarray, area_notes: np.ndarray) -> np.ndarray:
    notes = np.full(len(repairs), "", dtype=object)
    for i in np.flatnonzero((repairs != "") | (area_notes != "")):
        notes[i] = "; ".join(filter(None, [repairs[i], area_notes[i]]))
    return notes


def _outcomes(rows, codes, errors, notes, repaired, attributes_failed) -> list[RowOutcome]:
    """One outcome a row; rows refused for their attributes carry no code."""
    passed = is_none(errors)
    shown = np.where(attributes_failed, None, codes)
    kinds = np.full(len(rows), ACCEPTED, dtype=object)
    kinds[repaired] = REPAIRED
    kinds[~passed] = REJECTED
    messages = np.where(passed, notes, errors)
    return list(map(RowOutcome, rows.tolist(), shown.tolist(), kinds.tolist(),
                    messages.tolist()))


def _refusals(attributes: AttributeColumns, checked: CheckedGeometries, areas: np.ndarray,
              firsts: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Each row's first problem in the row-by-row order, or None."""
    errors = attributes.errors.copy()
    codes = attributes.fields["code"]
    duplicate = is_none(errors) & (firsts > 0) & (firsts < rows)
    for i in np.flatnonzero(duplicate):
        errors[i] = f"duplicate code “{codes[i]}” (first in row {firsts[i]})"
    errors = np.where(is_none(errors), checked.errors, errors)
    for i in np.flatnonzero(is_none(errors) & (areas < MIN_AREA_M2)):
        errors[i] = f"sliver: area {areas[i]:.2f} m² is below {MIN_AREA_M2:g} m²"
    return errors


def validate_rows(frame: gpd.GeoDataFrame, mapping: dict[str, str], table: LandUseTable,
                  progress=None, first_row: int = 1, seen: dict[str, int] | None = None,
                  total: int | None = None, rules: ImportMapping | None = None,
                  ) -> tuple[ValidRows, list[RowOutcome]]:
    """Check every feature (lon/lat frame); returns the valid rows and one outcome per row.

    For a file checked in chunks, `first_row` numbers the chunk's rows, `seen` (code → row)
    carries codes across chunks and `total` is the file's row count. `progress(done, total)`
    is called for each row, in order, once the chunk is checked. `rules`: the import
    mapping's value rules, defaults and fixed values.
    """
    seen = {} if seen is None else seen
    rows = np.arange(first_row, first_row + len(frame), dtype=np.int64)
    attributes = convert_attribute_columns(frame, mapping, table, rules)
    checked = check_geometries(frame.geometry.to_numpy())
    repaired = checked.notes != ""
    described = is_none(attributes.errors) & is_none(checked.errors)
    areas = _areas_m2(frame, checked.polygons, described & repaired)
    codes = attributes.fields["code"]
    firsts = _first_rows(codes, rows, described & ~(areas < MIN_AREA_M2), seen)
    errors = _refusals(attributes, checked, areas, firsts, rows)
    _raise_unexpected(errors)
    good = is_none(errors)
    seen.update(zip(codes[good].tolist(), rows[good].tolist(), strict=True))
    notes = _join_notes(checked.notes, _area_notes(attributes.fields["declared_area"], areas,
                                                   mapping))
    outcomes = _outcomes(rows, codes, errors, notes, repaired, ~is_none(attributes.errors))
    if progress:
        total = total or len(frame)
        for row in rows.tolist():
            progress(row, total)
    return _valid_rows(frame, attributes, checked.polygons, good, mapping), outcomes
