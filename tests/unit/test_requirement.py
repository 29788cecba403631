"""Parsing a site-selection requirement from the URL, its bad inputs, and the canonical query."""

import pytest
from werkzeug.datastructures import MultiDict

from webapp.domain.errors import InvalidParameterError
from webapp.domain.landuse import load_landuse_table
from webapp.selection.requirement import (
    DistanceConstraint,
    Requirement,
    parse_requirement,
)

LAYERS = ("interchanges", "expressway", "riverside", "housing", "ports", "stations")


def parse(query: str | list[tuple[str, str]], layers=LAYERS) -> Requirement:
    pairs = query if isinstance(query, list) else [
        tuple(part.split("=", 1)) for part in query.split("&") if part]
    return parse_requirement(MultiDict(pairs).getlist, load_landuse_table(), layers)


def test_requirement_empty_query_asks_for_available_parcels():
    assert parse("") == Requirement(statuses=("available",))


def test_requirement_reads_every_parameter():
    found = parse("land_use=1001&land_use=1101,0901&area_min=60&area_max=80&budget_max=2000"
                  "&far_min=1.2&far_max=2.5&lease_min=50&street=塘西街道&status=available,reserve"
                  "&near=interchanges:3000&far=housing:500:preferred")
    assert found == Requirement(
        land_uses=("1001", "1101", "0901"), area_min_mu=60, area_max_mu=80, budget_max_wan=2000,
        far_min=1.2, far_max=2.5, lease_min_years=50, streets=("塘西街道",),
        statuses=("available", "reserve"),
        constraints=(DistanceConstraint("interchanges", "near", 3000, True),
                     DistanceConstraint("housing", "far", 500, False)))


def test_requirement_near_zero_means_inside():
    assert parse("near=riverside:0").constraints == (
        DistanceConstraint("riverside", "near", 0.0, True),)


def test_requirement_explicit_required_suffix_is_the_default():
    assert parse("near=ports:800:required") == parse("near=ports:800")


def test_requirement_blank_form_fields_are_absent():
    assert parse("area_min=&area_max=&budget_max= ") == Requirement()


@pytest.mark.parametrize("query", [
    "",
    "land_use=1001&area_min=60&area_max=80&budget_max=2000&near=interchanges:3000",
    "land_use=100101&land_use=1101&area_min=0.5&far_min=1.2&lease_min=50&street=塘西街道"
    "&street=慈湖街道&status=reserve&near=riverside:0&far=housing:500:preferred",
    "budget_max=1234567.5&far_max=0.1&near=stations:2500.25:preferred",
])
def test_requirement_canonical_query_parses_back(query):
    requirement = parse(query)
    assert parse(requirement.to_query()) == requirement


def test_requirement_canonical_query_leaves_out_the_default_status():
    assert parse("status=available&area_min=60").to_query() == [("area_min", "60")]


def test_requirement_parcel_filter_is_the_attribute_part():
    found = parse("land_use=1001&area_min=60&street=塘西街道&budget_max=10&near=ports:5")
    selected = found.parcel_filter()
    assert (selected.land_uses, selected.streets, selected.statuses, selected.area_min_mu,
            selected.area_max_mu) == (("1001",), ("塘西街道",), ("available",), 60, None)


@pytest.mark.parametrize(("query", "parameter", "fragment"), [
    ("area_min=abc", "area_min", "not a number"),
    ("area_min=-5", "area_min", "≥ 0"),
    ("budget_max=nan", "budget_max", "≥ 0"),
    ("far_max=inf", "far_max", "≥ 0"),
    ("lease_min=1&lease_min=2", "lease_min", "more than once"),
    ("area_min=80&area_max=60", "area_min", "minimum is larger"),
    ("far_min=3&far_max=1", "far_min", "minimum is larger"),
    ("land_use=9999", "land_use", "unknown land-use code"),
    ("status=gone", "status", "unknown status"),
    ("near=interchanges", "near", "LAYER:METRES"),
    ("near=interchanges:3000:maybe", "near", ":required or :preferred"),
    ("near=Interchanges:3000", "near", "LAYER:METRES"),
    ("far=housing:-1", "far", "≥ 0"),
    ("far=housing:x", "far", "not a number"),
    ("near=interchanges:100001", "near", "at most"),
    ("near=a:1:2:3", "near", "LAYER:METRES"),
    ("near=unknown:300", "near", "unknown context layer"),
    ("near=ports:1&near=ports:2&near=ports:3&far=housing:4&far=housing:5&far=housing:6", "far",
     "at most 5"),
    ("street=" + "长" * 101, "street", "at most"),
])
def test_requirement_bad_value_names_its_parameter(query, parameter, fragment):
    with pytest.raises(InvalidParameterError) as raised:
        parse(query)
    assert raised.value.parameter == parameter
    assert fragment in str(raised.value)


def test_requirement_five_constraints_are_allowed():
    found = parse("near=ports:1&near=ports:2&near=stations:3&far=housing:4&far=housing:5")
    assert len(found.constraints) == 5


def test_requirement_same_constraint_twice_counts_once():
    assert len(parse("near=ports:100&near=ports:100").constraints) == 1


def test_requirement_unknown_layer_lists_the_known_ones():
    with pytest.raises(InvalidParameterError) as raised:
        parse("near=roads:300", layers=("ports",))
    assert "ports" in str(raised.value)
