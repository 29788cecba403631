"""Stage rules of the pipeline: the parcel status a stage proposes, the milestone dates it sets."""

import pytest

from webapp.domain.pipeline import proposed_parcel_status, reached_milestones


@pytest.mark.parametrize(("stage", "status", "proposed"), [
    ("lead", "available", None),
    ("negotiating", "available", "negotiating"),
    ("negotiating", "reserve", "negotiating"),
    ("negotiating", "negotiating", None),
    ("negotiating", "sold", None),  # a sold parcel is never proposed back to negotiating
    ("signed", "negotiating", "sold"),
    ("started", "available", "sold"),
    ("producing", "sold", None),
    ("dropped", "negotiating", "available"),
    ("dropped", "sold", None),
    ("dropped", "available", None),
])
def test_proposed_parcel_status(stage, status, proposed):
    assert proposed_parcel_status(stage, status) == proposed


def test_a_project_entered_as_started_was_signed_the_same_day():
    assert reached_milestones("started", "2026-03-01") == {"signed_on": "2026-03-01",
                                                           "started_on": "2026-03-01"}
    assert reached_milestones("producing", "2026-03-01", signed_on="2025-11-30") == {
        "started_on": "2026-03-01"}


def test_milestones_are_kept_once_set_and_not_set_before_they_are_reached():
    assert reached_milestones("signed", "2026-03-01", signed_on="2025-01-02") == {}
    assert reached_milestones("negotiating", "2026-03-01") == {}
    assert reached_milestones("lead", "2026-03-01") == {}
    assert reached_milestones("dropped", "2026-03-01") == {}
