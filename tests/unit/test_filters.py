"""Parsing query-string values into a ParcelFilter, and back."""

import pytest
from werkzeug.datastructures import MultiDict

from webapp.domain.errors import InvalidParameterError
from webapp.domain.filters import ParcelFilter, filter_to_query, parse_parcel_filter
from webapp.domain.landuse import load_landuse_table


def parse(**values) -> ParcelFilter:
    args = MultiDict([(k, v) for k, vs in values.items()
                      for v in (vs if isinstance(vs, list) else [vs])])
    return parse_parcel_filter(args.getlist, load_landuse_table())


def test_filter_empty_query_selects_everything():
    assert parse().is_empty()


def test_filter_land_uses_accept_repeats_and_commas():
    assert parse(land_use=["1001", "0901,1101"]).land_uses == ("1001", "0901", "1101")


def test_filter_duplicates_are_dropped():
    assert parse(status=["sold", "sold"]).statuses == ("sold",)


def test_filter_area_range_in_mu():
    parsed = parse(area_min="10", area_max="50.5")
    assert (parsed.area_min_mu, parsed.area_max_mu) == (10.0, 50.5)


def test_filter_text_is_trimmed_and_collapsed():
    assert parse(q="  软件园   三期 ").text == "软件园 三期"


def test_filter_bbox_with_six_numbers_drops_heights():
    assert parse(bbox="118,31,0,119,32,100").bbox == (118, 31, 119, 32)


@pytest.mark.parametrize(("values", "parameter", "message"), [
    ({"land_use": "9999"}, "land_use", "unknown land-use code “9999”"),
    ({"status": "free"}, "status", "unknown status “free”"),
    ({"area_min": "abc"}, "area_min", "“abc” is not a number"),
    ({"area_min": "-5"}, "area_min", "must be a number ≥ 0"),
    ({"area_max": "nan"}, "area_max", "must be a number ≥ 0"),
    ({"area_max": "inf"}, "area_max", "must be a number ≥ 0"),
    ({"area_min": "50", "area_max": "10"}, "area_min", "minimum area is larger"),
    ({"area_min": ["1", "2"]}, "area_min", "given more than once"),
    ({"q": "x" * 101}, "q", "longer than 100 characters"),
    ({"bbox": "1,2,3"}, "bbox", "4 or 6"),
    ({"bbox": "1,2,3,4,5"}, "bbox", "4 or 6"),
    ({"bbox": "a,b,c,d"}, "bbox", "is not a number"),
    ({"bbox": "118,32,119,31"}, "bbox", "minimum before maximum"),
    ({"bbox": "119,31,118,32"}, "bbox", "minimum before maximum"),
    ({"bbox": "118,31,119,91"}, "bbox", "within ±90"),
])
def test_filter_bad_values_name_parameter_and_problem(values, parameter, message):
    with pytest.raises(InvalidParameterError) as caught:
        parse(**values)
    assert caught.value.parameter == parameter
    assert message in str(caught.value)


def test_filter_round_trips_through_query():
    original = parse(land_use=["1001", "0901"], street="塘西街道", status="available",
                     area_min="5", area_max="100", q="物流", bbox="118.4,31.6,118.6,31.8")
    args = MultiDict(filter_to_query(original))
    assert parse_parcel_filter(args.getlist, load_landuse_table()) == original


def test_filter_by_land_use_splits_into_disjoint_codes():
    parts = ParcelFilter(land_uses=("1001", "07", "100101", "0701"), statuses=("sold",)
                         ).by_land_use()
    assert [p.land_uses for p in parts] == [("07",), ("1001",)]  # sub-classes are covered
    assert all(p.statuses == ("sold",) for p in parts)


def test_filter_by_land_use_keeps_a_single_or_no_code_filter_whole():
    one = ParcelFilter(land_uses=("07",))
    assert one.by_land_use() == [one]
    assert ParcelFilter().by_land_use() == [ParcelFilter()]
