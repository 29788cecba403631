"""Assemble the site-selection page (/select): the requirement form, the ranked shortlist with
its reasons, groups of adjacent parcels and the map that highlights them.

The form sends its distance rows as separate fields (d_layer, d_op, d_m, d_kind); query_from_form
turns them into the URL format's near/far values, and the view then redirects to the canonical
URL, so the requirement always lives in a short, shareable address.
"""

from dataclasses import dataclass, field
from itertools import zip_longest

import shapely
from flask import url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from webapp.api.selection import select_url
from webapp.api.selection_texts import advice, reason_text
from webapp.domain.context import ContextLayer
from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import Parcel
from webapp.domain.units import mu_to_m2
from webapp.maps.parcel_map import MapOptions, RenderedMap, render_map_parts
from webapp.maps.shortlist_map import ShortlistGroup, build_shortlist_map
from webapp.public.context_map import context_map
from webapp.public.map_page import basemap_from_config, language
from webapp.public.texts import map_texts
from webapp.selection.candidates import with_geometries
from webapp.selection.requirement import NUMBER_PARAMETERS, OPERATORS
from webapp.selection.scoring import Scored
from webapp.selection.shortlist import Selection
from webapp.store import ParcelStore

FORM_ROWS = 3  # distance rows the form offers (a URL may hold up to MAX_CONSTRAINTS)
SHORTLIST_LENGTH = 20  # results listed and drawn
ROW_FIELDS = ("d_layer", "d_op", "d_m", "d_kind")


@dataclass(frozen=True)
class DistanceRow:
    """One distance row of the form, as typed: layer, near/far, metres, required/preferred."""

    layer: str = ""
    op: str = "near"
    metres: str = ""
    kind: str = "required"


@dataclass(frozen=True)
class SelectForm:
    """The requirement form's values as the visitor gave them (also when they are invalid)."""

    values: dict[str, str]
    land_uses: tuple[str, ...]
    streets: tuple[str, ...]
    statuses: tuple[str, ...]
    rows: tuple[DistanceRow, ...]


@dataclass(frozen=True)
class ShownResult:
    """One ranked parcel or group as the page lists it: reasons translated."""

    rank: int
    parcels: tuple[Parcel, ...]
    score: float
    reasons: list[tuple[str, str]]  # (outcome, text)
    map_key: str
    description: str | None = None  # a group's members and outline


@dataclass
class SelectPage:
    """Everything the site-selection template needs."""

    form: SelectForm
    layers: list[ContextLayer]
    streets: list[str]
    land_uses: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    selection: Selection | None = None
    results: list[ShownResult] = field(default_factory=list)
    groups: list[ShownResult] = field(default_factory=list)
    rendered: RenderedMap | None = None
    advice: str | None = None
    share_url: str | None = None


def land_use_choices(table: LandUseTable, chosen: tuple[str, ...]
                     ) -> list[tuple[str, list[tuple[str, str]]]]:
    """The land-use select's option groups: per first-level class, its code and second-level
    codes as (code, label); chosen codes deeper than that get a group of their own."""
    lang = language()
    groups: dict[str, list[tuple[str, str]]] = {}
    labels = {}
    for land_use in table.classes():
        if land_use.level == 1:
            labels[land_use.code] = f"{land_use.code} {land_use.name(lang)}"
            groups[land_use.code] = [(land_use.code, f"{land_use.code} {land_use.name(lang)} "
                                                     f"({_('all')})")]
        elif land_use.level == 2 and land_use.code[:2] in groups:
            groups[land_use.code[:2]].append((land_use.code,
                                              f"{land_use.code} {land_use.name(lang)}"))
    offered = {code for options in groups.values() for code, _label in options}
    found = [(labels[top], options) for top, options in groups.items()]
    deeper = [(code, f"{code} {table.name(code, lang)}") for code in chosen if code not in offered]
    return found + ([("…", deeper)] if deeper else [])


def _split(values: list[str]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def is_form_submission(args: MultiDict) -> bool:
    """Whether the query came from the form (its distance rows) rather than a shared URL."""
    return any(name in args for name in ROW_FIELDS)


def query_from_form(args: MultiDict) -> MultiDict:
    """The query with the form's distance rows turned into near/far values and blank fields
    left out; a shared URL passes unchanged."""
    pairs = [(k, v) for k, v in args.items(multi=True) if k not in ROW_FIELDS and v.strip()]
    for layer, op, metres, kind in zip_longest(*(args.getlist(f) for f in ROW_FIELDS),
                                               fillvalue=""):
        if layer.strip() or metres.strip():
            suffix = ":preferred" if kind == "preferred" else ""
            pairs.append((op if op in OPERATORS else "near",
                          f"{layer.strip()}:{metres.strip()}{suffix}"))
    return MultiDict(pairs)


def _row(op: str, value: str) -> DistanceRow:
    layer, _sep, rest = value.partition(":")
    metres, _sep, kind = rest.partition(":")
    return DistanceRow(layer, op, metres, "preferred" if kind == "preferred" else "required")


def select_form(args: MultiDict) -> SelectForm:
    """The form filled in from a query in the URL format (valid or not)."""
    rows = [_row(op, value) for op in OPERATORS for value in _split(args.getlist(op))]
    rows += [DistanceRow()] * max(0, FORM_ROWS - len(rows))
    return SelectForm(values={name: args.get(name, "") for name in NUMBER_PARAMETERS},
                      land_uses=_split(args.getlist("land_use")),
                      streets=_split(args.getlist("street")),
                      statuses=_split(args.getlist("status")) or ("available",),
                      rows=tuple(rows))


def _shown(rank: int, scored: Scored, key: str, description: str | None = None) -> ShownResult:
    return ShownResult(rank, scored.candidate.parcels, scored.score,
                       [(r.outcome, reason_text(r)) for r in scored.reasons], key, description)


def _map(store: ParcelStore, table: LandUseTable, ranked: list[tuple[int, Parcel, float]],
         groups: list[ShortlistGroup]) -> RenderedMap | None:
    shapes = [p.geometry for _, p, _ in ranked] + [g.outline for g in groups]
    if not shapes:
        return None
    codes = sorted({p.land_use for _, p, _ in ranked})
    lang = language()
    options = MapOptions(
        colors={c: table.color(c) for c in codes},
        legend=[(table.color(c), f"{c} {table.name(c, lang)}") for c in codes],
        texts={**map_texts(codes, table, lang), "score": _("Score"), "groupRank": _("G")},
        parcel_url=url_for("public.parcel", key="__CODE__"),
        bounds=tuple(shapely.total_bounds(shapes).tolist()), locate_title=_("Show my location"),
        context=context_map(store, lang))
    return render_map_parts(build_shortlist_map(ranked, groups, basemap_from_config(), options))


def build_select_page(store: ParcelStore, table: LandUseTable, page: SelectPage,
                      selection: Selection) -> SelectPage:
    """Fill the page with a selection: translated results and groups, advice, the map."""
    titles = {layer.name: layer.title for layer in page.layers}
    shortlist = selection.results[:SHORTLIST_LENGTH]
    located = with_geometries(store, (s.candidate.parcels[0] for s in shortlist))
    ranked = [(rank, located[s.candidate.parcels[0].id], s.score)
              for rank, s in enumerate(shortlist, 1) if s.candidate.parcels[0].id in located]
    groups = [ShortlistGroup(rank, tuple(p.code for p in g.scored.candidate.parcels),
                             g.outline.geometry, mu_to_m2(g.scored.candidate.area_mu))
              for rank, g in enumerate(selection.groups, 1)]
    page.selection = selection
    page.results = [_shown(rank, s, f"p{s.candidate.parcels[0].id}")
                    for rank, s in enumerate(shortlist, 1)]
    page.groups = [_shown(rank, g.scored, f"g{rank}", reason_text(g.description))
                   for rank, g in enumerate(selection.groups, 1)]
    page.rendered = _map(store, table, ranked, groups)
    page.advice = advice(selection, titles)
    page.share_url = select_url(selection.requirement, external=True)
    return page
