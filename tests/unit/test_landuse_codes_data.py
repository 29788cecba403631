"""Checks on the land-use code table shipped as data (webapp/domain/data/landuse_codes.csv).

Schemes: ``gb2023`` (国土空间调查、规划、用途管制用地用海分类指南, 2023) and
``gbt21010`` (GB/T 21010-2017 土地利用现状分类).
"""

import csv
import itertools
import math
import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CSV_PATH = REPO_ROOT / "webapp" / "domain" / "data" / "landuse_codes.csv"

EXPECTED_HEADER = ["scheme", "code", "level", "parent", "name_zh", "name_en", "color", "maps_to"]
SCHEMES = ("gb2023", "gbt21010")
CODE_LENGTH_BY_LEVEL = {
    "gb2023": {1: 2, 2: 4, 3: 6},
    "gbt21010": {1: 2, 2: 4},
}
# Codes the bundled sample data uses; they must resolve in the gb2023 scheme.
REQUIRED_GB2023_CODES = [
    "0701", "0802", "0804", "0901", "0902", "0904",
    "100101", "100102", "100103", "110101", "110102", "1401", "16",
]
# Minimum CIE76 colour difference between two first-level classes of one scheme.
MIN_LEVEL1_DELTA_E = 12.0


def _read_table():
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [dict(zip(header, values, strict=False)) for values in reader]
    return header, rows


HEADER, ROWS = _read_table()
KEYS = {(row["scheme"], row["code"]) for row in ROWS}
GB2023_CODES = {row["code"] for row in ROWS if row["scheme"] == "gb2023"}
ROWS_WITH_PARENT = [row for row in ROWS if row["parent"]]
GBT21010_MAPPED_ROWS = [row for row in ROWS if row["scheme"] == "gbt21010" and row["maps_to"]]
GB2023_ROWS = [row for row in ROWS if row["scheme"] == "gb2023"]


def _row_id(row):
    return f"{row['scheme']}:{row['code']}"


def _lab(hex_colour):
    """sRGB hex -> CIE L*a*b* (D65)."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def test_file_has_no_byte_order_mark():
    assert not CSV_PATH.read_bytes().startswith(b"\xef\xbb\xbf")


def test_header_is_exact():
    assert HEADER == EXPECTED_HEADER


def test_rows_have_one_value_per_column():
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        rows = enumerate(csv.reader(handle), start=1)
        bad = [n for n, values in rows if len(values) != len(EXPECTED_HEADER)]
    assert bad == []


def test_scheme_code_pairs_are_unique():
    keys = [(row["scheme"], row["code"]) for row in ROWS]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert duplicates == []


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_row_scheme_is_known(row):
    assert row["scheme"] in SCHEMES


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_row_code_is_digits(row):
    assert re.fullmatch(r"[0-9]+", row["code"])


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_row_level_matches_code_length(row):
    lengths = CODE_LENGTH_BY_LEVEL[row["scheme"]]
    assert int(row["level"]) in lengths
    assert len(row["code"]) == lengths[int(row["level"])]


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_row_parent_is_empty_only_for_level1(row):
    assert (row["parent"] == "") == (row["level"] == "1")


@pytest.mark.parametrize("row", ROWS_WITH_PARENT, ids=_row_id)
def test_row_parent_exists_in_same_scheme(row):
    assert (row["scheme"], row["parent"]) in KEYS


@pytest.mark.parametrize("row", ROWS_WITH_PARENT, ids=_row_id)
def test_row_code_starts_with_parent(row):
    assert row["code"].startswith(row["parent"])
    assert len(row["code"]) == len(row["parent"]) + 2


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_row_names_are_filled(row):
    assert row["name_zh"].strip() and row["name_en"].strip()


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_row_color_is_valid_hex(row):
    assert re.fullmatch(r"#[0-9a-f]{6}", row["color"])


@pytest.mark.parametrize(
    ("scheme", "level", "expected"),
    [("gbt21010", "1", 12), ("gbt21010", "2", 73), ("gb2023", "1", 24)],
)
def test_scheme_level_count_matches_standard(scheme, level, expected):
    count = sum(1 for row in ROWS if row["scheme"] == scheme and row["level"] == level)
    assert count == expected


@pytest.mark.parametrize("row", GBT21010_MAPPED_ROWS, ids=_row_id)
def test_gbt21010_maps_to_exists_in_gb2023(row):
    assert row["maps_to"] in GB2023_CODES


@pytest.mark.parametrize("row", GB2023_ROWS, ids=_row_id)
def test_gb2023_maps_to_is_empty(row):
    assert row["maps_to"] == ""


@pytest.mark.parametrize("code", REQUIRED_GB2023_CODES)
def test_gb2023_required_code_exists(code):
    assert code in GB2023_CODES


@pytest.mark.parametrize("scheme", SCHEMES)
def test_level1_colours_are_visibly_distinct(scheme):
    level1 = [row for row in ROWS if row["scheme"] == scheme and row["level"] == "1"]
    too_close = [
        (a["code"], b["code"])
        for a, b in itertools.combinations(level1, 2)
        if math.dist(_lab(a["color"]), _lab(b["color"])) < MIN_LEVEL1_DELTA_E
    ]
    assert too_close == []
