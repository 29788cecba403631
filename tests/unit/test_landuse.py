"""Land-use table look-ups (the data itself is checked in test_landuse_codes_data)."""

import pytest

from webapp.domain.landuse import UNKNOWN_COLOR, load_landuse_table


@pytest.fixture(scope="module")
def table():
    return load_landuse_table()


def test_landuse_name_in_both_languages(table):
    assert table.name("100101", "zh") == "一类工业用地"
    assert "industrial" in table.name("100101", "en").lower()


def test_landuse_unknown_code_shows_the_code(table):
    assert table.name("9999", "zh") == "9999"


@pytest.mark.parametrize(("value", "code"), [
    ("1001", "1001"),          # 2023 code
    ("工业用地", "1001"),        # 2023 name
    ("其他商服用地", "0904"),      # GB/T 21010 name, mapped to its 2023 equivalent
    ("商业用地", "0901"),        # name of the 2023 scheme
    ("Industrial land", "1001"),  # English name, any case
])
def test_landuse_find_maps_codes_and_names_to_2023(table, value, code):
    assert table.find(value).code == code


def test_landuse_find_gbt_code_when_scheme_is_named(table):
    assert table.find("0601", schemes=("gbt21010",)).code == "1001"


def test_landuse_find_bare_code_means_2023_scheme(table):
    assert table.find("0601").name_zh != "工业用地"


def test_landuse_find_unknown_returns_none(table):
    assert table.find("月球用地") is None


def test_landuse_colour_is_inherited_from_parent(table):
    assert table.color("10019999") == table.color("1001")


def test_landuse_colour_of_unknown_code_is_grey(table):
    assert table.color("99") == UNKNOWN_COLOR


def test_landuse_first_level_classes_count(table):
    assert len([c for c in table.classes() if c.level == 1]) == 24
