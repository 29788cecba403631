"""Whole-column attribute conversion gives what converting each value on its own gives."""

import math

import numpy as np
import pandas as pd
import pytest

from webapp.domain.landuse import load_landuse_table
from webapp.importing.attributes import convert_value, target_fields
from webapp.importing.columns import (
    convert_attribute_columns,
    convert_column,
    distinct_values,
    row_values,
)
from webapp.importing.values import is_blank

TABLE = load_landuse_table()
TEXTS = ["1 ≤ R ≤ 1.5", "不大于25%", "1,234.5 万元", "≥1.2", "1.0-2.0", "2.0至3.0", "50年",
         "15%", " 7 ", "-0", "１２", "1.2.3", "abc", "待定", "", "   ", None, math.nan, "nan",
         "可供", " Sold ", "卖了", "挂牌出让", "拍卖", "100101", "0901 商业用地", "工业用地",
         "9999", " 地块 ", "1,234.5 万元", "不大于25%", "9" * 400]
OBJECTS = [*TEXTS, 1, 1.0, True, False, -0.0, 0.0, 2.5, -2.5, 1e300, math.inf, 50, "1"]
NUMBERS = [12.5, -0.0, 0.0, 2.5, 3.5, -2.5, math.nan, math.inf, -math.inf, 1e300, 2.0 ** 70,
           49.5, 1.0, 1.0]
TARGETS = ["far", "density", "lease_years", "price_start_wan", "declared_area", "status",
           "supply_method", "land_use", "name", "code", "height_max_m"]


def expected_row(target: str, value: object) -> tuple[dict, object]:
    """Fields and failure of one value, converted on its own (None failure: it passed)."""
    names = target_fields(target)
    if is_blank(value):
        return dict.fromkeys(names), None
    try:
        return dict(zip(names, convert_value(target, value, TABLE), strict=True)), None
    except ValueError as error:
        return dict.fromkeys(names), str(error)
    except Exception as error:  # noqa: BLE001 - the column converter keeps it to re-raise
        return dict.fromkeys(names), type(error)


def column_rows(target: str, values: np.ndarray) -> list[tuple[dict, object]]:
    converted = convert_column(values, target, TABLE)
    rows = []
    for i in range(len(values)):
        failure = converted.failures[i]
        failure = type(failure) if isinstance(failure, Exception) else failure
        rows.append(({name: field[i] for name, field in converted.fields.items()}, failure))
    return rows


def same(a: object, b: object) -> bool:
    """Equal values of the same type (so 0.0 is not -0.0 and 1 is not 1.0 or True)."""
    return type(a) is type(b) and repr(a) == repr(b)


def assert_same_rows(got, expected):
    assert len(got) == len(expected)
    for (fields, failure), (want_fields, want_failure) in zip(got, expected, strict=True):
        assert failure == want_failure
        assert fields.keys() == want_fields.keys()
        assert all(same(fields[k], want_fields[k]) for k in fields), (fields, want_fields)


@pytest.mark.parametrize("target", TARGETS)
def test_text_column_converts_like_each_value(target):
    values = np.array([*TEXTS, None], dtype=object)[:-1]
    assert_same_rows(column_rows(target, values), [expected_row(target, v) for v in values])


@pytest.mark.parametrize("target", TARGETS)
def test_mixed_object_column_converts_like_each_value(target):
    values = np.array([*OBJECTS, None], dtype=object)[:-1]
    assert_same_rows(column_rows(target, values), [expected_row(target, v) for v in values])


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.bool_])
def test_numeric_column_converts_like_each_value(target, dtype):
    if dtype is np.float64:
        values = np.array(NUMBERS, dtype=dtype)
    elif dtype is np.int64:
        values = np.array([0, 7, -3, 50, 50, 2 ** 62, -(2 ** 63)], dtype=dtype)
    else:
        values = np.array([True, False, True])
    expected = [expected_row(target, v) for v in values.tolist()]
    assert_same_rows(column_rows(target, values), expected)


@pytest.mark.parametrize(("text", "message"), [
    ("待定", "“待定” is not a number or a range"),
    ("1~2~3", "“1~2~3” is not a number or a range"),
])
def test_range_column_keeps_the_per_value_message(text, message):
    converted = convert_column(np.array(["1.0-2.0", text], dtype=object), "far", TABLE)
    assert converted.failures.tolist() == [None, message]
    assert (converted.fields["far_min"][0], converted.fields["far_max"][0]) == (1.0, 2.0)


def test_distinct_values_keep_equal_values_that_print_differently():
    uniques, codes = distinct_values(np.array([0.0, -0.0, math.nan, 0.0]))
    assert [repr(u) for u in uniques.tolist()] == ["0.0", "-0.0"]
    assert codes.tolist() == [0, 1, -1, 0]
    uniques, codes = distinct_values(np.array([1, True, 1.0, " ", None], dtype=object))
    assert [repr(uniques[c]) for c in codes[:3]] == ["1", "True", "1.0"]
    assert codes[3:].tolist() == [-1, -1]


def test_row_values_box_values_as_row_records_do():
    frame = pd.DataFrame({
        "text": ["a", None, " "], "whole": [1, 2, 3], "real": [1.5, np.nan, -0.0],
        "flag": [True, False, True], "mixed": [1, "1", None],
        "when": pd.to_datetime(["2024-01-02", None, "2025-03-04"]),
    })
    records = frame.to_dict("records")
    for name in frame.columns:
        got = row_values(frame[name]).tolist()
        want = [record[name] for record in records]
        assert all(same(a, b) or (a != a and b != b) for a, b in zip(got, want, strict=True))


def convert(frame: pd.DataFrame, mapping: dict) -> list:
    return convert_attribute_columns(frame, mapping, TABLE).errors.tolist()


def test_row_error_is_the_first_field_in_mapping_order():
    frame = pd.DataFrame({"code": ["A", "B"], "use": ["9999", "0901"], "st": ["卖了", "卖了"]})
    assert convert(frame, {"code": "code", "use": "land_use", "st": "status"}) == [
        "use: unknown land use “9999”", "st: unknown status “卖了”; use one of available, "
        "negotiating, sold, reserve or 可供/洽谈中/已出让/储备"]


@pytest.mark.parametrize(("values", "message"), [
    ({"code": [None], "use": ["0901"]}, "missing parcel code"),
    ({"code": ["  "], "use": ["0901"]}, "missing parcel code"),
    ({"code": ["A"], "use": [None]}, "missing land use"),
    ({"code": ["A"], "use": ["0901"], "low": [3.0], "high": [2.0]},
     "far_min 3 is larger than far_max 2"),
])
def test_row_checks_after_the_fields(values, message):
    mapping = {"code": "code", "use": "land_use", "low": "far_min", "high": "far_max"}
    assert convert(pd.DataFrame(values), mapping) == [message]


def test_later_field_overrides_an_earlier_one_for_the_same_target():
    frame = pd.DataFrame({"a": ["1.0-2.0", "1.5"], "b": [None, "≤3"], "code": ["A", "B"],
                          "use": ["0901", "0901"]})
    converted = convert_attribute_columns(
        frame, {"code": "code", "use": "land_use", "a": "far", "b": "far"}, TABLE)
    assert converted.fields["far_min"].tolist() == [1.0, None]
    assert converted.fields["far_max"].tolist() == [2.0, 3.0]


def test_unexpected_error_is_kept_only_where_it_is_the_first_problem():
    frame = pd.DataFrame({"code": ["A", "B"], "use": ["9999", "0901"],
                          "years": ["9" * 400, "9" * 400]})
    errors = convert(frame, {"code": "code", "use": "land_use", "years": "lease_years"})
    assert errors[0] == "use: unknown land use “9999”"
    assert isinstance(errors[1], OverflowError)
