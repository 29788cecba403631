"""Parcel keys in URLs: ids are ASCII digits within the signed 64-bit range, else codes."""

import pytest

from webapp.domain.parcel_key import (
    MAX_PARCEL_ID,
    parcel_url_key,
    parse_parcel_id,
    parse_parcel_key,
)
from webapp.store.lookup import find_by_key


@pytest.mark.parametrize(("text", "expected"), [
    ("12", 12), ("0012", 12), (str(MAX_PARCEL_ID), MAX_PARCEL_ID),
    (str(MAX_PARCEL_ID + 1), None), ("²", None), ("٣", None), ("１２", None), ("-1", None),
    ("+1", None), (" 1", None), ("1e3", None), ("", None), ("9" * 10_000, None),
])
def test_parse_parcel_id_accepts_only_ascii_digits_in_range(text, expected):
    assert parse_parcel_id(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("12", 12), ("T-001", "T-001"), ("²", "²"), ("9223372036854775808", "9223372036854775808"),
    ("a\x00b", None), ("x" * 10_000, "x" * 10_000), ("", None),
])
def test_parse_parcel_key_gives_id_code_or_nothing(text, expected):
    assert parse_parcel_key(text) == expected


class DictStore:
    """Just enough of a ParcelStore for find_by_key: parcels by id and by code."""

    def __init__(self, by_id: dict, by_code: dict) -> None:
        self.by_id, self.by_code = by_id, by_code
        self.asked: list = []

    def get(self, key, include_drafts=False):
        self.asked.append(key)
        return (self.by_id if isinstance(key, int) else self.by_code).get(key)


def test_find_by_key_finds_a_digits_only_code_when_no_id_matches():
    store = DictStore({}, {"330102001": "parcel"})
    assert find_by_key(store, "330102001") == "parcel"


def test_find_by_key_prefers_the_id():
    store = DictStore({7: "by id"}, {"7": "by code"})
    assert find_by_key(store, "7") == "by id"


@pytest.mark.parametrize("key", ["", "a\x00b"])
def test_find_by_key_does_not_ask_the_store_for_impossible_keys(key):
    store = DictStore({}, {})
    assert find_by_key(store, key) is None and store.asked == []


@pytest.mark.parametrize(("code", "expected"), [
    ("T-001", "T-001"), ("花山-07", "花山-07"), ("²", "²"), ("a b?c#d%", "a b?c#d%"),
    ("2023/001", "7"), ("H-17 ../../../../etc/passwd", "7"), ("a\\b", "7"), ("..", "7"),
    (".", "7"), ("330102001", "7"), ("", "7"),
])
def test_parcel_url_key_uses_the_id_where_the_code_would_name_something_else(code, expected):
    assert parcel_url_key(code, 7) == expected
