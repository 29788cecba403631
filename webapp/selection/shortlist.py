"""select_parcels: a requirement → ranked single parcels and groups of adjacent parcels.

The work is bounded whatever the size of the district: at most `max_candidates` parcels are read
(more matching parcels make the answer "too broad", with no ranking) as one attribute table,
criteria read from the parcels are checked on all its rows at once before any distance is
measured, distances are asked of the store for the surviving candidates only, and reasons are
built for the results that are read. Groups are looked for when fewer than `group_below` single
parcels qualify, among at most `max_candidates` smaller parcels.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from webapp.domain.context import ContextLayer
from webapp.domain.messages import N_
from webapp.selection.candidates import (
    DEFAULT_MAX_CANDIDATES,
    fetch_candidates,
    measure_distances,
    nearest_of,
)
from webapp.selection.groups import (
    DEFAULT_GAP_M,
    Outline,
    adjacent_sets,
    group_outline,
    neighbour_pairs,
    project_parcels,
)
from webapp.selection.ranked import RankedResults
from webapp.selection.reasons import Reason, format_amount
from webapp.selection.requirement import Requirement
from webapp.selection.scoring import Candidate, Scored, attribute_verdicts, rank, score_candidate
from webapp.selection.table import (
    distance_verdicts,
    parcel_of,
    read_table,
    row_reader,
    table_verdicts,
)
from webapp.store.interface import ParcelStore


@dataclass(frozen=True)
class SelectionLimits:
    """Bounds of one selection (app config SELECT_MAX_CANDIDATES, SELECT_GROUP_GAP_M)."""

    max_candidates: int = DEFAULT_MAX_CANDIDATES
    gap_m: float = DEFAULT_GAP_M
    group_below: int = 5  # look for groups when fewer single parcels qualify
    max_groups: int = 10  # groups offered (no two share a parcel)


@dataclass(frozen=True)
class GroupResult:
    """A group of adjacent parcels that meets the requirement together, with its outline."""

    scored: Scored
    outline: Outline
    description: Reason


@dataclass(frozen=True)
class Selection:
    """The answer to a requirement.

    too_broad: more than max_candidates parcels match the land use, streets, status and area
    (nothing is ranked). candidates: how many do (≤ max_candidates). results: every qualifying
    parcel, ranked (each Scored, with its reasons, built when first read). rejected: for the
    candidates left out, the criterion that first excluded each (price, floor_area_ratio, lease,
    near:LAYER, far:LAYER) and how many it excluded.
    """

    requirement: Requirement
    too_broad: bool = False
    candidates: int = 0
    results: RankedResults = field(default_factory=RankedResults)
    groups: list[GroupResult] = field(default_factory=list)
    rejected: dict[str, int] = field(default_factory=dict)
    groups_too_broad: bool = False

    @property
    def number_matched(self) -> int | None:
        """How many single parcels qualify; None when the requirement is too broad."""
        return None if self.too_broad else len(self.results)


def _evaluate(store: ParcelStore, requirement: Requirement, candidates: list[Candidate],
              titles: dict[str, str], rejected: Counter[str],
              extra: Sequence[Reason] = ()) -> list[Scored]:
    """Score the candidates: parcel criteria first, distances only for those still in."""
    kept = []
    for candidate in candidates:
        excluded = [v.excludes for v in attribute_verdicts(requirement, candidate) if v.excludes]
        if excluded:
            rejected[excluded[0]] += 1
        else:
            kept.append(candidate)
    ids = sorted({p.id for c in kept for p in c.parcels})
    distances = measure_distances(store.context, (c.layer for c in requirement.constraints), ids)
    scored = []
    for candidate in kept:
        located = replace(candidate, distances=nearest_of(distances,
                                                          (p.id for p in candidate.parcels)))
        result = score_candidate(requirement, located, titles, tuple(extra))
        if result.excluded_by:
            rejected[result.excluded_by[0]] += 1
        scored.append(result)
    return rank(scored)


def _rank_table(store: ParcelStore, requirement: Requirement, frame: pd.DataFrame,
                titles: dict[str, str], rejected: Counter[str]) -> RankedResults:
    """The single parcels of the table that qualify, ranked: every verdict decided on the
    table's numbers at once (distances asked for the rows still in after the parcel criteria),
    reasons built for the results that are read."""
    verdicts = table_verdicts(requirement, frame)
    first = verdicts.first_exclusion(len(frame))
    kept = first == ""
    rejected.update(first[~kept].tolist())
    ids = frame["id"].to_numpy()[kept]
    distances = measure_distances(store.context, (c.layer for c in requirement.constraints),
                                  ids.tolist())
    found = verdicts.subset(kept)
    distance_verdicts(requirement.constraints, distances, ids, found)
    first = found.first_exclusion(len(ids))
    passing = first == ""
    rejected.update(first[~passing].tolist())
    rows = np.flatnonzero(kept)[passing]
    scores = found.subset(passing).scores(len(rows))
    codes = frame["code"].to_numpy()[rows].tolist()
    order = sorted(range(len(rows)), key=lambda k: (-scores[k], codes[k]))
    row = row_reader(frame)

    def build(index: int) -> Scored:
        parcel = parcel_of(row(int(rows[order[index]])))
        candidate = Candidate((parcel,), nearest_of(distances, (parcel.id,)))
        return score_candidate(requirement, candidate, titles)

    return RankedResults(len(rows), build)


def _disjoint(ranked: list[Scored], count: int) -> list[Scored]:
    chosen: list[Scored] = []
    used: set[int] = set()
    for scored in ranked:
        ids = {p.id for p in scored.candidate.parcels}
        if not ids & used:
            chosen.append(scored)
            used |= ids
        if len(chosen) == count:
            break
    return chosen


def group_description(scored: Scored, outline: Outline) -> Reason:
    """The reason that says which parcels form the group and how large its outline is."""
    codes = " + ".join(p.code for p in scored.candidate.parcels)
    return Reason("group", N_("%(count)s adjacent parcels together (%(codes)s); outline "
                              "%(outline)s mu with the lanes between them"),
                  {"count": str(len(scored.candidate.parcels)), "codes": codes,
                   "outline": format_amount(outline.area_mu)},
                  {"parcel_ids": [p.id for p in scored.candidate.parcels],
                   "outline_area_m2": round(outline.area_m2, 2)})


def select_groups(store: ParcelStore, requirement: Requirement, titles: dict[str, str],
                  limits: SelectionLimits) -> tuple[list[GroupResult], bool]:
    """Groups of 2-3 adjacent parcels smaller than area_min that meet the requirement
    together (best first, no parcel in two groups), and whether there were too many smaller
    parcels to look at."""
    low = requirement.area_min_mu
    if low is None or low <= 0:
        return [], False
    smaller = replace(requirement.parcel_filter(), area_min_mu=None, area_max_mu=low)
    found = fetch_candidates(store, smaller, limits.max_candidates, with_geometry=True)
    if found is None:
        return [], True
    alone = replace(requirement, area_min_mu=None, area_max_mu=None)
    members = [p for p in found if p.area_mu < low and p.geometry is not None
               and not any(v.excludes for v in attribute_verdicts(alone, Candidate((p,))))]
    layout = project_parcels(members)
    sets = adjacent_sets(layout.areas_mu, neighbour_pairs(layout.geometries_m, limits.gap_m),
                         low, requirement.area_max_mu)
    candidates = [Candidate(tuple(layout.parcels[i] for i in s)) for s in sets]
    ranked = _disjoint(_evaluate(store, requirement, candidates, titles, Counter()),
                       limits.max_groups)
    index = {p.id: i for i, p in enumerate(layout.parcels)}
    groups = []
    for scored in ranked:
        outline = group_outline(layout, tuple(index[p.id] for p in scored.candidate.parcels),
                                limits.gap_m)
        groups.append(GroupResult(scored, outline, group_description(scored, outline)))
    return groups, False


def select_parcels(store: ParcelStore, requirement: Requirement,
                   limits: SelectionLimits = SelectionLimits(),
                   layers: Sequence[ContextLayer] | None = None) -> Selection:
    """The ranked shortlist for a requirement (layers: the store's context layers, read when
    not given; their titles name features without a name in the reasons)."""
    frame = read_table(store, requirement.parcel_filter(), limits.max_candidates)
    if frame is None:
        return Selection(requirement, too_broad=True, candidates=limits.max_candidates)
    known = store.context.layers() if layers is None else layers
    titles = {layer.name: layer.title for layer in known}
    rejected: Counter[str] = Counter()
    results = _rank_table(store, requirement, frame, titles, rejected)
    groups: list[GroupResult] = []
    groups_too_broad = False
    if len(results) < limits.group_below:
        groups, groups_too_broad = select_groups(store, requirement, titles, limits)
    return Selection(requirement, candidates=len(frame), results=results, groups=groups,
                     rejected=dict(rejected), groups_too_broad=groups_too_broad)
