"""The one parser of submitted parcel values: types, limits, codes, ranges (form text or JSON)."""

import pytest

from webapp.domain.edits import EDITABLE_FIELDS, changed_values, check_ranges, parse_parcel_changes
from webapp.domain.errors import InvalidEditError
from webapp.domain.landuse import load_landuse_table
from webapp.domain.parcel import Parcel

TABLE = load_landuse_table()


def problems(values):
    with pytest.raises(InvalidEditError) as caught:
        parse_parcel_changes(values, TABLE)
    return {name: message % params if params else message
            for name, (message, params) in caught.value.fields.items()}


@pytest.mark.parametrize(("values", "expected"), [
    ({"code": " G(2025)001 "}, {"code": "G(2025)001"}),
    ({"name": ""}, {"name": None}),
    ({"far_min": "1.5"}, {"far_min": 1.5}),
    ({"far_min": 2}, {"far_min": 2.0}),
    ({"price_start_wan": "1,200"}, {"price_start_wan": 1200.0}),
    ({"price_start_wan": ""}, {"price_start_wan": None}),
    ({"lease_years": "50"}, {"lease_years": 50}),
    ({"lease_years": 40.0}, {"lease_years": 40}),
    ({"land_use": "100101"}, {"land_use": "100101"}),
    ({"status": "sold"}, {"status": "sold"}),
    ({"supply_method": ""}, {"supply_method": None}),
    ({"published": "false"}, {"published": False}),
    ({"published": True}, {"published": True}),
    ({"density_max_pct": "100"}, {"density_max_pct": 100.0}),
])
def test_parcel_edit_parses_good_values(values, expected):
    assert parse_parcel_changes(values, TABLE) == expected


@pytest.mark.parametrize(("values", "expected"), [
    ({"price_start_wan": "-1"}, {"price_start_wan": "must be a number ≥ 0"}),
    ({"far_min": "abc"}, {"far_min": "“abc” is not a number"}),
    ({"far_min": "nan"}, {"far_min": "must be a number ≥ 0"}),
    ({"far_min": True}, {"far_min": "“true” is not a number"}),
    ({"green_min_pct": "101"}, {"green_min_pct": "must be at most 100"}),
    ({"lease_years": "50.5"}, {"lease_years": "must be a whole number from 1 to 70"}),
    ({"lease_years": "0"}, {"lease_years": "must be a whole number from 1 to 70"}),
    ({"land_use": "9999"}, {"land_use": "unknown land-use code “9999”"}),
    ({"land_use": ""}, {"land_use": "is required"}),
    ({"code": "   "}, {"code": "is required"}),
    ({"status": "gone"}, {"status": "unknown value “gone”; use one of available, "
                                    "negotiating, sold, reserve"}),
    ({"supply_method": "gift"}, {"supply_method": "unknown value “gift”; use one of listing, "
                                                  "auction, tender, agreement"}),
    ({"note": "x" * 2001}, {"note": "is longer than 2000 characters"}),
    ({"name": "名" * 101}, {"name": "is longer than 100 characters"}),
    ({"name": 5}, {"name": "must be text"}),
    ({"published": "maybe"}, {"published": "must be true or false"}),
    ({"area_m2": 5}, {"area_m2": "is computed and cannot be edited"}),
    ({"colour": "red"}, {"colour": "unknown attribute"}),
])
def test_parcel_edit_refuses_bad_value(values, expected):
    assert problems(values) == expected


def test_parcel_edit_reports_every_bad_field_at_once():
    assert set(problems({"far_min": "x", "deposit_wan": "-2", "code": "ok"})) == {
        "far_min", "deposit_wan"}


@pytest.mark.parametrize(("low", "high"), [
    ("far_min", "far_max"), ("density_min_pct", "density_max_pct"),
    ("green_min_pct", "green_max_pct")])
def test_parcel_edit_range_minimum_above_maximum_marks_both_fields(low, high):
    with pytest.raises(InvalidEditError) as caught:
        check_ranges({low: 3.0, high: 2.0})
    assert caught.value.fields == {low: ("the minimum is larger than the maximum", {}),
                                   high: ("the maximum is smaller than the minimum", {})}


def test_parcel_edit_range_with_one_side_open_is_fine():
    check_ranges({"far_min": 3.0, "far_max": None})


def test_parcel_edit_changed_values_keeps_only_differences():
    parcel = Parcel(id=1, code="A", land_use="1001", status="available", area_m2=1.0)
    assert changed_values(parcel, {"code": "A", "status": "sold"}) == {"status": "sold"}


def test_parcel_edit_covers_every_file_attribute_and_publication():
    from webapp.domain.parcel import ATTRIBUTE_TYPES

    assert set(EDITABLE_FIELDS) == {*ATTRIBUTE_TYPES, "published"}
