"""The table verdicts give every row exactly score_candidate's score and first exclusion, and
RankedResults builds only the results that are read."""

import random

import numpy as np
import pandas as pd
import pytest

from webapp.domain.context import Nearest
from webapp.selection.candidates import nearest_of
from webapp.selection.ranked import RankedResults
from webapp.selection.requirement import DistanceConstraint, Requirement
from webapp.selection.scoring import Candidate, Scored, score_candidate
from webapp.selection.table import (
    TABLE_COLUMNS,
    distance_verdicts,
    parcel_of,
    table_verdicts,
)

TITLES = {"interchanges": "高速互通", "housing": "居住区"}


def maybe(rng: random.Random, value):
    return None if rng.random() < 0.2 else value


def district(rows: int = 400, seed: int = 16) -> tuple[pd.DataFrame, dict]:
    """Parcels with some unknown values, and distances with some parcels unmeasured."""
    rng = random.Random(seed)
    records = []
    for i in range(1, rows + 1):
        far_low = maybe(rng, rng.choice([0.5, 1.0, 1.2, 2.0]))
        records.append({
            "id": i, "code": f"G-{rng.randrange(10**6):06d}", "name": maybe(rng, f"地块{i}"),
            "land_use": "0601", "street": maybe(rng, "慈湖街道"), "status": "available",
            "area_m2": rng.choice([40000.0, 13333.3333, rng.uniform(20000, 60000)]),
            "price_start_wan": maybe(rng, rng.choice([1000.0, 2000.0, rng.uniform(100, 4000)])),
            "far_min": far_low, "far_max": maybe(rng, (far_low or 0.0) + rng.choice([0, 0.5, 1])),
            "lease_years": maybe(rng, rng.choice([30, 40, 50, 70]))})
    frame = pd.DataFrame.from_records(records, columns=["id", *TABLE_COLUMNS])
    for column in ("price_start_wan", "far_min", "far_max", "lease_years"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    distances = {layer: {i: Nearest(rng.choice([0.0, 500.0, 3000.0, rng.uniform(0, 9000)]),
                                    i, maybe(rng, "最近"))
                         for i in range(1, rows + 1) if rng.random() < 0.9}
                 for layer in TITLES}
    return frame, distances


REQUIREMENTS = [
    Requirement(),
    Requirement(area_min_mu=40, area_max_mu=80, budget_max_wan=2000, far_min=1.0, far_max=1.5,
                lease_min_years=50,
                constraints=(DistanceConstraint("interchanges", "near", 3000, True),
                             DistanceConstraint("housing", "far", 500, False))),
    Requirement(area_min_mu=60, area_max_mu=60, budget_max_wan=0,
                constraints=(DistanceConstraint("interchanges", "near", 0, False),
                             DistanceConstraint("housing", "far", 0, True))),
    Requirement(area_max_mu=70, far_max=1.0, lease_min_years=40,
                constraints=(DistanceConstraint("housing", "near", 2500, True),)),
]


@pytest.mark.parametrize("requirement", REQUIREMENTS)
def test_table_verdicts_match_score_candidate_row_by_row(requirement):
    frame, distances = district()
    found = table_verdicts(requirement, frame)
    distance_verdicts(requirement.constraints, distances, frame["id"].to_numpy(), found)
    first = found.first_exclusion(len(frame))
    scores = found.scores(len(frame))
    excluded = 0
    for k, row in enumerate(frame.to_dict("records")):
        parcel = parcel_of(row)
        expected = score_candidate(requirement, Candidate(
            (parcel,), nearest_of(distances, (parcel.id,)) if requirement.constraints else {}),
            TITLES)
        assert first[k] == (expected.excluded_by[0] if expected.excluded_by else ""), row
        assert scores[k] == expected.score, row
        excluded += bool(first[k])
    assert requirement == Requirement() or 0 < excluded < len(frame)


def test_parcel_of_turns_missing_numbers_into_none():
    frame, _ = district(rows=30)
    parcels = [parcel_of(row) for row in frame.to_dict("records")]
    assert any(p.lease_years is None for p in parcels)
    assert all(isinstance(p.lease_years, int) for p in parcels if p.lease_years is not None)
    assert all(p.price_start_wan is None or p.price_start_wan > 0 for p in parcels)
    assert not any(isinstance(p.far_min, float) and np.isnan(p.far_min) for p in parcels)


def test_ranked_results_build_only_what_is_read():
    built = []

    def build(index: int) -> Scored:
        built.append(index)
        return Scored(Candidate(()), float(100 - index), ())

    ranked = RankedResults(50, build)
    assert len(ranked) == 50 and ranked and built == []
    top = ranked[:3]
    assert [s.score for s in top] == [100.0, 99.0, 98.0] and built == [0, 1, 2]
    assert ranked[1] is top[1] and ranked[-1].score == 51.0 and built == [0, 1, 2, 49]
    with pytest.raises(IndexError):
        ranked[50]
    assert RankedResults() == [] and not RankedResults()
    assert list(RankedResults(2, build)) == RankedResults(2, build)[:]
