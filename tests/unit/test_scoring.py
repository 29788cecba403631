"""The transparent score: points per criterion, exclusions, unknown values, reasons, ranking."""

import pytest

from webapp.domain.context import Nearest
from webapp.domain.parcel import Parcel
from webapp.domain.units import mu_to_m2
from webapp.selection.reasons import MEETS, MISSES, UNKNOWN, format_amount, format_distance
from webapp.selection.requirement import DistanceConstraint, Requirement
from webapp.selection.scoring import Candidate, rank, score_candidate

TITLES = {"interchanges": "高速互通", "housing": "居住区"}


def parcel(code="G-1", area_mu=62.0, price=None, far=(None, None), lease=None, pid=1) -> Parcel:
    return Parcel(id=pid, code=code, land_use="100101", status="available",
                  area_m2=mu_to_m2(area_mu), price_start_wan=price, far_min=far[0],
                  far_max=far[1], lease_years=lease)


def near(layer="interchanges", metres=3000.0, required=True) -> DistanceConstraint:
    return DistanceConstraint(layer, "near", metres, required)


def far(layer="housing", metres=500.0, required=True) -> DistanceConstraint:
    return DistanceConstraint(layer, "far", metres, required)


def at(distance_m: float, name: str | None = "马鞍山东互通") -> Nearest:
    return Nearest(distance_m, 7, name)


def score(requirement: Requirement, *parcels: Parcel, distances=None):
    return score_candidate(requirement, Candidate(parcels, distances or {}), TITLES)


def texts(scored) -> list[str]:
    return [r.message % r.params for r in scored.reasons]


def test_score_without_scored_criteria_is_100():
    assert score(Requirement(area_min_mu=10), parcel()).score == 100.0


def test_score_area_in_the_middle_of_the_range_earns_full_points():
    assert score(Requirement(area_min_mu=60, area_max_mu=80), parcel(area_mu=70)).score == 100.0


def test_score_area_at_the_end_of_the_range_earns_half():
    assert score(Requirement(area_min_mu=60, area_max_mu=80), parcel(area_mu=80)).score == 50.0


def test_score_area_reason_reads_area_and_range():
    found = score(Requirement(area_min_mu=60, area_max_mu=80), parcel(area_mu=62))
    assert texts(found) == ["62 mu, needs 60–80"]


def test_score_price_under_budget_earns_more_the_cheaper():
    found = score(Requirement(budget_max_wan=2000), parcel(price=1760))
    assert found.score == pytest.approx(100 * (0.5 + 0.5 * 0.12))
    assert texts(found) == ["starting price 1,760 × 10,000 yuan, 12% under budget"]


def test_score_price_over_budget_excludes():
    found = score(Requirement(budget_max_wan=2000), parcel(price=2001))
    assert found.excluded_by == ("price",)
    assert not found.passes


def test_score_unknown_price_is_not_a_pass_but_scores_zero():
    found = score(Requirement(budget_max_wan=2000), parcel(price=None))
    assert found.passes and found.score == 0.0
    assert found.reasons[0].outcome == UNKNOWN
    assert "unknown" in texts(found)[0]


@pytest.mark.parametrize(("allowed", "wanted", "outcome"), [
    ((1.0, 2.0), (1.2, None), MEETS),
    ((1.0, 2.0), (None, 0.8), MISSES),
    ((1.0, 2.0), (2.5, None), MISSES),
    ((1.5, None), (None, 1.5), MEETS),  # "≥ 1.5" has no upper limit
    ((None, 1.0), (1.2, None), MISSES),
    ((None, 2.0), (None, 0.5), MEETS),  # "≤ 2" allows any lower ratio
    ((None, None), (1.2, None), UNKNOWN),
])
def test_score_far_ranges_meet_when_they_overlap(allowed, wanted, outcome):
    found = score(Requirement(far_min=wanted[0], far_max=wanted[1]), parcel(far=allowed))
    assert found.reasons[0].outcome == outcome
    assert found.passes == (outcome != MISSES)


def test_score_far_reason_reads_both_ranges():
    found = score(Requirement(far_min=1.2), parcel(far=(1.0, 2.0)))
    assert texts(found) == ["FAR 1–2 meets ≥ 1.2"]


@pytest.mark.parametrize(("years", "outcome", "points"), [
    (50, MEETS, 1.0), (70, MEETS, 1.0), (40, MISSES, 0.0), (None, UNKNOWN, 0.0)])
def test_score_lease_term(years, outcome, points):
    found = score(Requirement(lease_min_years=50), parcel(lease=years))
    assert (found.reasons[0].outcome, found.reasons[0].points) == (outcome, points)


def test_score_near_reason_names_the_feature_and_distance():
    found = score(Requirement(constraints=(near(),)), parcel(),
                  distances={"interchanges": at(1800)})
    assert texts(found) == ["1.8 km to 马鞍山东互通 (within 3 km)"]
    assert found.score == pytest.approx(100 * (1 - 0.5 * 1800 / 3000))


def test_score_unnamed_feature_is_named_by_its_layer_title():
    found = score(Requirement(constraints=(near(),)), parcel(),
                  distances={"interchanges": at(500, name=None)})
    assert texts(found) == ["500 m to 高速互通 (within 3 km)"]


def test_score_near_zero_means_inside():
    found = score(Requirement(constraints=(near("interchanges", 0),)), parcel(),
                  distances={"interchanges": at(0.0)})
    assert found.passes and found.score == 100.0
    assert texts(found) == ["inside or touching 马鞍山东互通"]


def test_score_required_near_too_far_excludes():
    found = score(Requirement(constraints=(near(),)), parcel(),
                  distances={"interchanges": at(3000.5)})
    assert found.excluded_by == ("near:interchanges",)


def test_score_preferred_near_too_far_earns_nothing_but_stays():
    found = score(Requirement(constraints=(near(required=False),)), parcel(),
                  distances={"interchanges": at(4000)})
    assert found.passes and found.score == 0.0
    assert texts(found) == ["4 km to 马鞍山东互通, farther than 3 km"]


@pytest.mark.parametrize(("distance_m", "points"), [(500, 0.5), (750, 0.75), (1000, 1.0),
                                                    (5000, 1.0)])
def test_score_far_earns_more_further_away(distance_m, points):
    found = score(Requirement(constraints=(far(),)), parcel(),
                  distances={"housing": at(distance_m)})
    assert found.reasons[0].points == pytest.approx(points)


def test_score_required_far_too_close_excludes():
    found = score(Requirement(constraints=(far(),)), parcel(), distances={"housing": at(499)})
    assert found.excluded_by == ("far:housing",)


def test_score_unknown_distance_earns_zero_and_says_so():
    found = score(Requirement(constraints=(near(),)), parcel(), distances={"interchanges": None})
    assert found.passes and found.score == 0.0
    assert texts(found) == ["distance to 高速互通 unknown (the layer has no features)"]


def test_score_is_the_mean_of_the_points():
    requirement = Requirement(area_min_mu=60, area_max_mu=80, budget_max_wan=1000,
                              lease_min_years=50, constraints=(near(),))
    found = score(requirement, parcel(area_mu=70, price=500, lease=None),
                  distances={"interchanges": at(1500)})
    assert found.score == pytest.approx(round(100 * (1 + 0.75 + 0 + 0.75) / 4, 1))


def test_score_group_adds_areas_and_prices():
    requirement = Requirement(area_min_mu=60, area_max_mu=80, budget_max_wan=2000)
    found = score(requirement, parcel(area_mu=30, price=800), parcel("G-2", 34, 900, pid=2))
    assert texts(found) == ["64 mu, needs 60–80",
                            "starting price 1,700 × 10,000 yuan, 15% under budget"]


def test_score_group_price_is_unknown_when_one_member_has_none():
    found = score(Requirement(budget_max_wan=2000), parcel(price=800), parcel(price=None, pid=2))
    assert found.reasons[0].outcome == UNKNOWN


def test_rank_orders_by_score_then_code_and_drops_excluded():
    requirement = Requirement(budget_max_wan=1000)
    scored = [score(requirement, parcel(code, price=price))
              for code, price in (("B", 500), ("A", 500), ("C", 100), ("D", 1500))]
    assert [s.candidate.parcels[0].code for s in rank(scored)] == ["C", "A", "B"]


@pytest.mark.parametrize(("metres", "text"), [(0, "0 m"), (850.4, "850 m"), (1000, "1 km"),
                                              (1849, "1.8 km"), (12345, "12.3 km")])
def test_format_distance(metres, text):
    assert format_distance(metres) == text


@pytest.mark.parametrize(("value", "text"), [(62, "62"), (62.346, "62.35"), (1760.5, "1,760.5"),
                                             (0.1, "0.1")])
def test_format_amount(value, text):
    assert format_amount(value) == text
