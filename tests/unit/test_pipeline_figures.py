"""The report's pipeline figures on hand-made projects, dates around the year's boundaries."""

from dataclasses import replace
from datetime import date

import pytest

from webapp.domain.pipeline import Project
from webapp.domain.pipeline_figures import pipeline_figures

BASE = Project(id=0, name="p", company=None, contact=None, industry="software",
               investment_wan=1000.0, jobs=None, stage="signed", stage_since="2026-01-01",
               signed_on=None, started_on=None, drop_reason=None, street=None,
               parcel_codes=(), owner=None, next_action=None, next_action_due=None,
               enquiry_id=None, created_at="2025-01-01T00:00:00+00:00",
               updated_at="2025-01-01T00:00:00+00:00")
TODAY = date(2026, 9, 30)


def project(**changes) -> Project:
    return replace(BASE, **changes)


def figures(*projects, year=2026, major_wan=10000.0, today=TODAY):
    return pipeline_figures(projects, year, major_wan, today)


@pytest.mark.parametrize(("signed_on", "counted"), [
    ("2025-12-31", False),  # last year
    ("2026-01-01", True),  # first day of the year
    ("2026-09-30", True),  # today
    ("2026-10-01", False),  # after today (entered ahead): not yet
    ("2027-01-01", False),
    (None, False),
])
def test_signed_counts_only_this_year_up_to_today(signed_on, counted):
    assert figures(project(signed_on=signed_on)).signed == int(counted)


def test_major_signed_from_the_configured_investment():
    result = figures(project(signed_on="2026-03-01", investment_wan=10000.0),
                     project(signed_on="2026-03-02", investment_wan=9999.99),
                     project(signed_on="2026-03-03", investment_wan=None))
    assert (result.signed, result.signed_major, result.signed_investment_wan) == (
        3, 1, 19999.99)


def test_started_large_is_over_two_thousand_wan():
    result = figures(project(stage="started", started_on="2026-05-01", investment_wan=2000.0),
                     project(stage="started", started_on="2026-05-02", investment_wan=2000.01),
                     project(stage="producing", started_on="2025-12-31", investment_wan=9e4))
    assert (result.started, result.started_large) == (2, 1)


def test_dropped_projects_count_neither_signed_nor_started():
    result = figures(project(stage="dropped", signed_on="2026-02-01", started_on="2026-03-01"))
    assert (result.signed, result.started) == (0, 0)


def test_negotiating_counts_the_stage_now():
    result = figures(project(stage="negotiating"), project(stage="lead"),
                     project(stage="negotiating", industry=None))
    assert result.negotiating == 2


def test_by_month_has_twelve_months_with_signed_and_started():
    result = figures(project(signed_on="2026-01-31", started_on="2026-02-01", stage="started"),
                     project(signed_on="2026-01-01"), project(signed_on="2025-01-15"))
    months = {m.month: (m.signed, m.started) for m in result.by_month}
    assert len(months) == 12 and months[1] == (2, 0) and months[2] == (0, 1)
    assert sum(m.signed for m in result.by_month) == result.signed


def test_by_industry_in_list_order_unknown_last_and_empty_left_out():
    result = figures(project(industry=None, signed_on="2026-04-01"),
                     project(industry="logistics", stage="negotiating"),
                     project(industry="software", signed_on="2026-04-02",
                             investment_wan=500.0),
                     project(industry="biomedicine", stage="lead"))
    assert [(r.industry, r.signed, r.negotiating, r.signed_investment_wan)
            for r in result.by_industry] == [
        ("software", 1, 0, 500.0), ("logistics", 0, 1, 0.0), (None, 1, 0, 1000.0)]


def test_other_year_is_counted_whole_when_it_is_past():
    result = figures(project(signed_on="2025-12-31"), project(signed_on="2025-01-01"),
                     year=2025)
    assert result.signed == 2 and result.year == 2025
