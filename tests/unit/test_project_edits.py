"""The project form's parser, the pipeline list's parameters and Beijing time (no app)."""

from datetime import UTC, date, datetime

import pytest

from webapp.domain.errors import InvalidEditError, InvalidParameterError
from webapp.domain.local_time import district_time_text, district_today
from webapp.domain.pipeline import Enquiry, ProjectFilter
from webapp.domain.project_edits import (
    ProjectChecks,
    parse_note_text,
    parse_project_values,
    split_parcel_codes,
    values_from_enquiry,
)
from webapp.domain.project_listing import filter_query, parse_pipeline_query

CHECKS = ProjectChecks(["eddie", "Vera"], lambda code: code in {"T-001", "G(2024)043"})
GOOD = {"name": " 项目 ", "company": "", "contact": "", "industry": "software",
        "investment_wan": "1,500.5", "jobs": "12", "stage": "lead", "drop_reason": "",
        "street": "", "parcel_codes": "T-001，G(2024)043 T-001", "owner": "vera",
        "next_action": "", "next_action_due": "2026-02-28"}


def test_good_values_are_typed():
    assert parse_project_values(GOOD, CHECKS) == {
        "name": "项目", "company": None, "contact": None, "industry": "software",
        "investment_wan": 1500.5, "jobs": 12, "stage": "lead", "drop_reason": None,
        "street": None, "parcel_codes": ("T-001", "G(2024)043"), "owner": "Vera",
        "next_action": None, "next_action_due": "2026-02-28"}


@pytest.mark.parametrize(("name", "value"), [
    ("name", ""), ("name", "x" * 101), ("investment_wan", "-0.1"), ("investment_wan", "nan"),
    ("investment_wan", "inf"), ("investment_wan", "1e30"), ("jobs", "2.5"), ("jobs", "-1"),
    ("stage", ""), ("stage", "Lead"), ("industry", "steel"), ("next_action_due", "2026-02-30"),
    ("next_action_due", "２０２６-０１-０１"), ("next_action_due", "2026-1-1"),
    ("owner", "nobody"), ("parcel_codes", "T-002"), ("parcel_codes", "x" * 41),
    ("parcel_codes", " ".join(f"T-{n}" for n in range(51))), ("next_action", "x" * 501),
])
def test_bad_value_names_its_field(name, value):
    with pytest.raises(InvalidEditError) as raised:
        parse_project_values({**GOOD, name: value}, CHECKS)
    assert list(raised.value.fields) == [name]


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(InvalidEditError) as raised:
        parse_project_values({**GOOD, "name": "", "jobs": "x", "stage": "dropped"}, CHECKS)
    assert set(raised.value.fields) == {"name", "jobs", "drop_reason"}


def test_missing_fields_are_not_set_and_others_ignored():
    assert parse_project_values({"name": "甲", "version": "3"}, CHECKS) == {"name": "甲"}


def test_split_parcel_codes_keeps_parentheses():
    assert split_parcel_codes(" G(2024)043、T-1;T-2  ,T-1 ") == ("G(2024)043", "T-1", "T-2")


@pytest.mark.parametrize("text", ["", "  ", "x" * 2001, None])
def test_bad_note_text(text):
    with pytest.raises(InvalidEditError):
        parse_note_text(text)


def test_enquiry_values_name_the_company_and_join_contact():
    enquiry = Enquiry(id=1, reference="ZS-20261207-ABCDEF", received_at="", parcel_codes=("T",),
                      company=None, contact_name="王五", phone="13812345678", email=None,
                      industry=None, investment_wan=None, jobs=None, message=None,
                      language="zh", requirement=None, consent_at="")
    values = values_from_enquiry(enquiry)
    assert (values["name"], values["contact"], values["parcel_codes"], values["stage"]) == (
        "王五", "王五 13812345678", ("T",), "lead")


def args(**values):
    return lambda name: values.get(name, [])


def test_pipeline_query_parses_each_parameter():
    query = parse_pipeline_query(args(stage=["lead,signed", "lead"], owner=["EDDIE"],
                                      industry=["logistics"], street=[" 塘西街道 "],
                                      view=["board"]), ["eddie"])
    assert query.view == "board"
    assert query.project_filter == ProjectFilter(stages=("lead", "signed"), owner="eddie",
                                                 industry="logistics", street="塘西街道")
    assert filter_query(query.project_filter) == [
        ("stage", "lead"), ("stage", "signed"), ("owner", "eddie"), ("industry", "logistics"),
        ("street", "塘西街道")]


@pytest.mark.parametrize("values", [{"stage": ["won"]}, {"owner": ["x"]}, {"view": ["list"]},
                                    {"industry": ["a", "b"]}, {"street": ["x" * 101]}])
def test_pipeline_query_bad_value(values):
    with pytest.raises(InvalidParameterError):
        parse_pipeline_query(args(**values), ["eddie"])


def test_beijing_time_is_eight_hours_ahead_of_utc():
    assert district_time_text("2026-12-31T16:30:00+00:00") == "2027-01-01 00:30"
    assert district_time_text(None) == "—" and district_time_text("2026-01-02") == "2026-01-02"
    assert district_today(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)) == date(2027, 1, 1)


def test_the_owner_a_project_has_is_kept_though_no_longer_an_active_account():
    checks = ProjectChecks(["eddie"], lambda code: True, kept_owner="sample.wang")
    assert parse_project_values({"name": "x", "owner": "sample.wang"}, checks)["owner"] == \
        "sample.wang"
    with pytest.raises(InvalidEditError):
        parse_project_values({"name": "x", "owner": "sample.li"}, checks)


def test_a_project_from_an_enquiry_gets_the_street_given():
    enquiry = Enquiry(id=1, reference="ZS-20260101-ABCDEF", received_at="2026-01-01T00:00:00+00:00",
                      parcel_codes=("T-001",), company="示例公司", contact_name=None, phone=None,
                      email="a@example.com", industry=None, investment_wan=None, jobs=None,
                      message=None, language="zh", requirement=None,
                      consent_at="2026-01-01T00:00:00+00:00")
    assert values_from_enquiry(enquiry, "金家庄街道")["street"] == "金家庄街道"
