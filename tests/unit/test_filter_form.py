"""The map page's form read field by field, the sort parameter and the list offset."""

import pytest
from werkzeug.datastructures import MultiDict

from webapp.domain.errors import InvalidParameterError
from webapp.domain.filter_form import (
    MAX_LIST_OFFSET,
    parse_filter_form,
    parse_list_offset,
    widened_filters,
)
from webapp.domain.filters import ParcelFilter
from webapp.domain.landuse import load_landuse_table
from webapp.domain.parcel_order import DEFAULT_SORT, SORTS, parse_sort


def form(*pairs: tuple[str, str]):
    """parse_filter_form over query pairs."""
    return parse_filter_form(MultiDict(pairs).getlist, load_landuse_table())


@pytest.mark.parametrize("sort", SORTS)
def test_parse_sort_accepts_each_order(sort):
    assert parse_sort([sort]) == sort


def test_parse_sort_defaults_to_availability_first():
    assert parse_sort([]) == parse_sort([" "]) == DEFAULT_SORT == "status"


@pytest.mark.parametrize(("values", "message"), [
    (["name"], "unknown order “name”"), (["-status"], "unknown order “-status”"),
    (["area", "code"], "given more than once"), (["AREA"], "unknown order “AREA”"),
])
def test_parse_sort_refuses_bad_value(values, message):
    with pytest.raises(InvalidParameterError, match=message) as raised:
        parse_sort(values)
    assert raised.value.parameter == "sort"


@pytest.mark.parametrize("value", ["-1", "1.0", "x", "١", str(MAX_LIST_OFFSET + 1), "1e3"])
def test_parse_list_offset_refuses_bad_value(value):
    with pytest.raises(InvalidParameterError) as raised:
        parse_list_offset([value])
    assert raised.value.parameter == "offset"


def test_parse_list_offset_reads_whole_number():
    assert parse_list_offset([]) == 0 and parse_list_offset(["50"]) == 50


@pytest.mark.parametrize(("pairs", "field"), [
    ((("land_use", "9999"),), "land_use"), ((("area_min", "x"),), "area_min"),
    ((("area_min", "5"), ("area_max", "1")), "area_min"), ((("status", "gone"),), "status"),
    ((("bbox", "1,2,3"),), "bbox"), ((("q", "x" * 101),), "q"), ((("sort", "x"),), "sort"),
])
def test_filter_form_sets_bad_field_aside_and_keeps_the_others(pairs, field):
    parsed = form(("street", "塘西街道"), *pairs)
    assert set(parsed.errors) == {field}
    assert parsed.parcel_filter.streets == ("塘西街道",)


def test_filter_form_keeps_every_error():
    parsed = form(("land_use", "9999"), ("status", "gone"), ("area_max", "x"), ("sort", "y"))
    assert set(parsed.errors) == {"land_use", "status", "area_max", "sort"}
    assert parsed.parcel_filter == ParcelFilter() and parsed.sort == DEFAULT_SORT


def test_widened_filters_drop_one_constraint_each():
    wider = dict(widened_filters(ParcelFilter(land_uses=("10",), statuses=("sold",),
                                              area_min_mu=1.0)))
    assert wider == {"land_use": ParcelFilter(statuses=("sold",), area_min_mu=1.0),
                     "status": ParcelFilter(land_uses=("10",), area_min_mu=1.0),
                     "area": ParcelFilter(land_uses=("10",), statuses=("sold",))}
