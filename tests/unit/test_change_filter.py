"""Parsing the change-log filter from the query string."""

from datetime import date

import pytest

from webapp.domain.audit import ChangeFilter, parse_change_filter, parse_page_number
from webapp.domain.errors import InvalidParameterError

FIELDS = ("status", "note")


def parse(**query):
    return parse_change_filter(lambda name: [query[name]] if name in query else [], FIELDS)


def test_change_filter_empty_query_selects_everything():
    assert parse() == ChangeFilter()


def test_change_filter_reads_every_parameter():
    assert parse(parcel="T-001", field="status", actor="eddie", source="form",
                 since="2025-01-01", until="2025-01-31") == ChangeFilter(
        parcel_code="T-001", field="status", actor="eddie", source="form",
        since=date(2025, 1, 1), until=date(2025, 1, 31))


def test_change_filter_until_is_inclusive_day():
    assert parse(until="2025-02-28").until_exclusive() == "2025-03-01"


@pytest.mark.parametrize(("query", "message"), [
    ({"field": "colour"}, "field: unknown field “colour”"),
    ({"source": "fax"},
     "source: unknown source “fax”; use one of form, api, import, restore, project"),
    ({"since": "yesterday"}, "since: “yesterday” is not a date like 2025-03-31"),
    ({"until": "2025-02-30"}, "until: “2025-02-30” is not a date like 2025-03-31"),
    ({"since": "2025-03-02", "until": "2025-03-01"}, "since: the first day is after the last day"),
    ({"actor": "x" * 101}, "actor: is longer than 100 characters"),
])
def test_change_filter_refuses_bad_value(query, message):
    with pytest.raises(InvalidParameterError) as caught:
        parse(**query)
    assert str(caught.value) == message


@pytest.mark.parametrize(("values", "page"), [([], 1), (["3"], 3)])
def test_change_log_page_number_parses(values, page):
    assert parse_page_number(values) == page


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_change_log_page_number_refuses_bad_value(value):
    with pytest.raises(InvalidParameterError, match="must be a whole number ≥ 1"):
        parse_page_number([value])
