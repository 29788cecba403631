"""Convert whole attribute columns at once, with the same results as converting row by row.

Each distinct value of a column is converted once by the per-value rules (attributes.py) and
the results are spread back to the rows; numbers in numeric columns are converted with numpy.
Values that compare equal but print differently (0.0 and -0.0, 1 and True) stay distinct.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import ATTRIBUTE_TYPES, RANGES
from webapp.importing.attributes import SPECIAL_OUTPUTS, convert_value, target_fields
from webapp.importing.fields import RANGE_TARGETS
from webapp.importing.mapping import ImportMapping
from webapp.importing.values import is_blank

NUMERIC_KINDS = "iuf"  # numpy integer and float columns (bool columns are not numbers here)
RECORD_FIELDS = (*ATTRIBUTE_TYPES, "land_use_source", "declared_area")
MAX_INT64_FLOAT = 2.0 ** 63  # rounded numbers at or past this stay Python ints (scalar rules)


@dataclass
class ConvertedColumn:
    """One mapped column converted: per row, the target fields' values (None where blank or
    failed) and the failure (None, a message, or an unexpected exception to re-raise)."""

    present: np.ndarray
    fields: dict[str, np.ndarray]
    failures: np.ndarray


@dataclass
class AttributeColumns:
    """A chunk's parcel attributes by field (object arrays) and each row's first problem:
    None, a rejection message, or an exception the row-by-row rules would have raised."""

    fields: dict[str, np.ndarray]
    errors: np.ndarray


def is_none(values: np.ndarray) -> np.ndarray:
    """Element-wise `value is None` of an object array."""
    return np.equal(values, None)


def row_values(column: pd.Series) -> np.ndarray:
    """A column's values as a frame's row records hold them (numpy numbers or Python objects)."""
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in NUMERIC_KINDS + "b":
        return column.to_numpy()
    if isinstance(column.dtype, pd.StringDtype):
        return column.to_numpy(dtype=object)
    records = column.to_frame("value").to_dict("records")  # boxed exactly as records are
    return np.array([r["value"] for r in records] + [None], dtype=object)[:-1]


def _distinct_objects(values: np.ndarray) -> tuple[list, np.ndarray]:
    codes = np.full(len(values), -1, dtype=np.intp)
    missing = pd.isna(values)
    odd = np.zeros(len(values), dtype=bool)  # missing but not blank (NaT, NA): kept as they are
    odd[missing] = [not (v is None or isinstance(v, float)) for v in values[missing]]
    text = ~missing
    if infer_dtype(values[text], skipna=False) in ("string", "empty"):
        text_codes, uniques = pd.factorize(values[text])
        keep = np.array([bool(u.strip()) for u in uniques], dtype=bool)
        codes[text] = np.where(keep, np.cumsum(keep) - 1, -1)[text_codes]
        uniques = list(uniques[keep])
    else:
        odd |= text
        uniques = []
    for i in np.flatnonzero(odd):
        if not is_blank(values[i]):
            codes[i] = len(uniques)
            uniques.append(values[i])
    return uniques, codes


def distinct_values(values: np.ndarray) -> tuple[list | np.ndarray, np.ndarray]:
    """(distinct non-blank values, each row's index into them or -1 for a blank value).

    Numeric columns give a numpy array of distinct numbers, others a list of Python objects.
    """
    if values.dtype.kind == "f":
        codes = np.full(len(values), -1, dtype=np.intp)
        present = ~np.isnan(values)
        codes[present], bits = pd.factorize(values[present].view(np.int64))
        return bits.view(np.float64), codes
    if values.dtype.kind in "iub":
        codes, uniques = pd.factorize(values)
        return uniques, codes
    return _distinct_objects(values)


def _numbers_of(uniques: np.ndarray, target: str) -> tuple[np.ndarray, tuple] | None:
    """(which distinct numbers were converted, their field values) for numeric targets."""
    kind = ATTRIBUTE_TYPES.get(target)
    numeric = target in RANGE_TARGETS or target == "declared_area" or kind in (int, float)
    if not numeric or uniques.dtype.kind not in NUMERIC_KINDS:
        return None
    numbers = uniques.astype(np.float64)  # as float(value) does
    done = np.isfinite(numbers)
    if kind is int and target not in RANGE_TARGETS:
        rounded = np.rint(numbers)  # round half to even, as round() does
        done &= np.abs(rounded) < MAX_INT64_FLOAT
        return done, (rounded[done].astype(np.int64),)
    return done, (numbers[done],) * len(target_fields(target))


def _convert_each(objects: list, indexes, target: str, table: LandUseTable,
                  fields: list[np.ndarray], failures: np.ndarray,
                  rules: ImportMapping | None = None) -> None:
    convert = rules.convert if rules is not None else convert_value
    for i in indexes:
        try:
            results = convert(target, objects[i], table)
        except ValueError as error:
            failures[i] = str(error)
            continue
        except Exception as error:  # noqa: BLE001 - raised later, if row by row would reach it
            failures[i] = error
            continue
        for field, result in zip(fields, results, strict=True):
            field[i] = result


def convert_distinct(uniques, target: str, table: LandUseTable,
                     rules: ImportMapping | None = None) -> tuple[list, np.ndarray]:
    """Field values (one object array per target field) and failures of distinct values,
    each with one more slot (None) at the end for blank rows; `rules` maps values first."""
    count = len(uniques)
    fields = [np.full(count + 1, None, dtype=object) for _ in target_fields(target)]
    failures = np.full(count + 1, None, dtype=object)
    objects = uniques.tolist() if isinstance(uniques, np.ndarray) else uniques
    if rules is not None and any(rules.value_rules(target)):
        _convert_each(objects, range(count), target, table, fields, failures, rules)
        return fields, failures
    plain_text = ATTRIBUTE_TYPES.get(target) is str and target not in SPECIAL_OUTPUTS
    if plain_text and all(type(value) is str for value in objects):
        fields[0][:count] = [value.strip() for value in objects]  # str(value).strip()
        return fields, failures
    todo = np.ones(count, dtype=bool)
    numbers = _numbers_of(uniques, target) if isinstance(uniques, np.ndarray) else None
    if numbers is not None:
        done, results = numbers
        for field, result in zip(fields, results, strict=True):
            field[:count][done] = result.astype(object)
        todo = ~done  # not finite, or too large for int64: the per-value rules decide
    _convert_each(objects, np.flatnonzero(todo), target, table, fields, failures)
    return fields, failures


def convert_column(values: np.ndarray, target: str, table: LandUseTable,
                   rules: ImportMapping | None = None) -> ConvertedColumn:
    """Convert every row of one mapped column (row_values) for a target."""
    uniques, codes = distinct_values(values)
    fields, failures = convert_distinct(uniques, target, table, rules)
    return ConvertedColumn(codes >= 0, {name: field[codes] for name, field
                                        in zip(target_fields(target), fields, strict=True)},
                           failures[codes])


def _note_first(errors: np.ndarray, rows: np.ndarray, messages) -> None:
    """Give rows without a problem yet this problem (rows: a boolean mask)."""
    rows = rows & is_none(errors)
    errors[rows] = messages if isinstance(messages, str) else list(messages[rows])


def _check_records(fields: dict[str, np.ndarray], errors: np.ndarray) -> None:
    _note_first(errors, is_none(fields["code"]), "missing parcel code")
    _note_first(errors, is_none(fields["land_use"]), "missing land use")
    for low, high in RANGES:
        both = ~is_none(fields[low]) & ~is_none(fields[high]) & is_none(errors)
        larger = np.zeros(len(errors), dtype=bool)
        larger[both] = fields[low][both].astype(float) > fields[high][both].astype(float)
        for i in np.flatnonzero(larger):
            errors[i] = f"{low} {fields[low][i]:g} is larger than {high} {fields[high][i]:g}"


def _fill_given(fields: dict[str, np.ndarray], rules: ImportMapping,
                table: LandUseTable) -> None:
    """Apply the mapping's defaults (where a target is blank) and fixed values (every row)."""
    for section, everywhere in ((rules.defaults, False), (rules.fixed, True)):
        for target, value in section.items():
            names = target_fields(target)
            rows = np.ones(len(fields["code"]), dtype=bool)
            if not everywhere:
                rows = np.logical_and.reduce([is_none(fields[name]) for name in names])
            for name, result in zip(names, rules.convert(target, value, table), strict=True):
                fields[name][rows] = result


def convert_attribute_columns(frame: pd.DataFrame, mapping: dict[str, str],
                              table: LandUseTable,
                              rules: ImportMapping | None = None) -> AttributeColumns:
    """Parcel attributes of every row, mapped field by field in mapping order; a row's error
    is its first problem, as if its fields were converted one after another. `rules` (value
    mapping, defaults, fixed values) apply before the per-value rules; a fixed target's
    source field is not read."""
    fields = {name: np.full(len(frame), None, dtype=object) for name in RECORD_FIELDS}
    errors = np.full(len(frame), None, dtype=object)
    rules = rules or ImportMapping()
    for source, target in mapping.items():
        if (target == "ignore" or source == "geometry" or source not in frame.columns
                or target in rules.fixed):
            continue
        column = convert_column(row_values(frame[source]), target, table, rules)
        failed = ~is_none(column.failures)
        for name, values in column.fields.items():
            fields[name] = np.where(column.present & ~failed, values, fields[name])
        messages = np.full(len(frame), None, dtype=object)
        messages[failed] = [f"{source}: {f}" if isinstance(f, str) else f
                            for f in column.failures[failed]]
        _note_first(errors, failed, messages)
    _fill_given(fields, rules, table)
    _check_records(fields, errors)
    return AttributeColumns(fields, errors)
