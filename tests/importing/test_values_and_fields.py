"""Attribute values as bureaus write them, and field-name guessing."""

import numpy as np
import pytest

from webapp.domain.errors import DataFileError
from webapp.importing.crs import guess_crs
from webapp.importing.fields import guess_mapping, resolve_mapping
from webapp.importing.mapping import read_mapping_file
from webapp.importing.values import (
    is_blank,
    parse_number_text,
    parse_range_text,
    parse_status,
    parse_supply_method,
    plain_value,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("12.5", 12.5), ("1,234.5 万元", 1234.5), ("50年", 50.0), ("15%", 15.0), (7, 7.0),
])
def test_number_text_is_parsed(text, expected):
    assert parse_number_text(text) == expected


@pytest.mark.parametrize("text", ["abc", "1-2", "", "nan", "1.2.3"])
def test_number_text_refuses_non_numbers(text):
    with pytest.raises(ValueError, match="is not a number"):
        parse_number_text(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("1.0-2.0", (1.0, 2.0)), ("1 ≤ R ≤ 1.5", (1.0, 1.5)), ("≥1.2", (1.2, None)),
    ("不大于25%", (None, 25.0)), ("1.5", (1.5, 1.5)), ("1.0～2.0", (1.0, 2.0)),
    (">= 1.0", (1.0, None)), ("≤ 40", (None, 40.0)), (2.5, (2.5, 2.5)), ("2.0至3.0", (2.0, 3.0)),
])
def test_range_text_gives_min_and_max(text, expected):
    assert parse_range_text(text) == expected


def test_range_text_refuses_words():
    with pytest.raises(ValueError, match="not a number or a range"):
        parse_range_text("待定")


@pytest.mark.parametrize(("text", "expected"), [
    ("可供", "available"), ("洽谈中", "negotiating"), ("已出让", "sold"), ("储备", "reserve"),
    ("Sold", "sold"),
])
def test_status_names_in_chinese_and_english(text, expected):
    assert parse_status(text) == expected


def test_unknown_status_lists_allowed_values():
    with pytest.raises(ValueError, match="unknown status “卖了”; use one of available"):
        parse_status("卖了")


def test_supply_method_names():
    assert parse_supply_method("挂牌出让") == "listing"


def test_field_names_are_guessed_from_chinese_and_abbreviations():
    columns = ["ZDBH", "地块名称", "用地性质", "所属街道", "容积率", "面积", "OBJECTID"]
    mapping = guess_mapping(columns)
    assert mapping == {"ZDBH": "code", "地块名称": "name", "用地性质": "land_use",
                       "所属街道": "street", "容积率": "far", "面积": "declared_area"}


def test_mapping_file_overrides_guesses(tmp_path):
    path = tmp_path / "mapping.json"
    path.write_text('{"DKBM": "code", "ZDBH": "ignore"}')
    mapping = resolve_mapping(["ZDBH", "DKBM"], read_mapping_file(path).fields)
    assert mapping == {"DKBM": "code", "ZDBH": "ignore"}


@pytest.mark.parametrize(("content", "message"), [
    ('{"A": "nonsense"}', "unknown target fields nonsense"),
    ("[1, 2]", "an object of"),
    ("{not json", "cannot read the field mapping"),
])
def test_bad_mapping_file_is_refused(tmp_path, content, message):
    path = tmp_path / "mapping.json"
    path.write_text(content)
    with pytest.raises(DataFileError, match=message):
        read_mapping_file(path)


def test_mapping_naming_missing_field_is_refused():
    with pytest.raises(DataFileError, match="names fields the file does not have: X"):
        resolve_mapping(["A"], {"X": "code"})


@pytest.mark.parametrize(("bounds", "epsg"), [
    ((118.4, 31.6, 118.6, 31.8), 4490),
    ((40_357_000, 3_509_000, 40_358_000, 3_510_000), 4528),
    ((39_642_000, 3_509_000, 39_643_000, 3_510_000), 4527),
])
def test_crs_guess_from_coordinates(bounds, epsg):
    assert guess_crs(np.array(bounds)).crs.to_epsg() == epsg


@pytest.mark.parametrize(("bounds", "message"), [
    ((357_000, 3_509_000, 358_000, 3_510_000), "fit both CGCS2000"),
    ((1e9, 1e9, 2e9, 2e9), "match no known system"),
])
def test_crs_guess_refuses_what_it_cannot_place(bounds, message):
    with pytest.raises(DataFileError, match=message):
        guess_crs(np.array(bounds))


def test_plain_value_makes_field_values_json_ready():
    import datetime
    import json

    import numpy as np
    import pandas as pd

    values = [pd.Timestamp("2024-03-01 08:30"), datetime.date(2024, 5, 6), np.int64(7),
              np.float32(1.5), b"\x00\xff", "文本", 3, None]
    assert [plain_value(v) for v in values] == ["2024-03-01T08:30:00", "2024-05-06", 7, 1.5,
                                                "00ff", "文本", 3, None]
    json.dumps([plain_value(v) for v in values])
    assert is_blank(pd.NaT)
