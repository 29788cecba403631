"""GET /api/select: site selection as JSON, the same requirement URL format as the /select page.

The answer: the requirement as understood (and its canonical query), how many parcels match the
land use, area, streets and status (numberCandidates) and how many meet everything
(numberMatched; null when the requirement is too broad to rank), the best `limit` results with
their score, reasons (code, outcome, text in the request's language, values) and distances,
groups of adjacent parcels, what excluded the others, and advice when nothing is found.
"""

from urllib.parse import urlencode

from flask import current_app, url_for
from shapely.geometry import mapping

from webapp.api import bp
from webapp.api.links import current_url, link
from webapp.api.media import HTML, JSON
from webapp.api.operations import api_operation
from webapp.api.responses import json_response
from webapp.api.selection_texts import advice, reason_text
from webapp.domain.context import ContextLayer, Nearest
from webapp.selection.candidates import with_geometries
from webapp.selection.reasons import Reason
from webapp.selection.requirement import REQUIREMENT_PARAMETERS, Requirement, build_requirement
from webapp.selection.scoring import Scored
from webapp.selection.shortlist import GroupResult, Selection, SelectionLimits, select_parcels
from webapp.services import get_store
from webapp.store import ParcelStore

SELECT_PARAMETERS = ("lang", "limit", "geometry", *REQUIREMENT_PARAMETERS)


def selection_limits(config) -> SelectionLimits:
    """The selection bounds configured for the app (SELECT_MAX_CANDIDATES, SELECT_GROUP_GAP_M)."""
    return SelectionLimits(max_candidates=config["SELECT_MAX_CANDIDATES"],
                           gap_m=config["SELECT_GROUP_GAP_M"])


def select_url(requirement: Requirement, external: bool = False) -> str:
    """The canonical address of a requirement's page /select (its query readable: ':' and ','
    are left as they are)."""
    query = urlencode(requirement.to_query(), safe=":,")
    return url_for("public.select", _external=external) + (f"?{query}" if query else "")


def reason_json(reason: Reason) -> dict:
    """A reason: stable code, outcome, text in the request's language, raw values, points."""
    return {"code": reason.code, "outcome": reason.outcome, "text": reason_text(reason),
            "values": dict(reason.values),
            "points": None if reason.points is None else round(reason.points, 3)}


def _nearest_json(nearest: Nearest | None) -> dict | None:
    if nearest is None:
        return None
    return {"distanceM": round(nearest.distance_m, 1), "featureId": nearest.feature_id,
            "featureName": nearest.feature_name}


def _scored_json(scored: Scored) -> dict:
    return {"score": scored.score, "reasons": [reason_json(r) for r in scored.reasons],
            "distances": {layer: _nearest_json(n)
                          for layer, n in scored.candidate.distances.items()}}


def requirement_json(requirement: Requirement) -> dict:
    """The requirement as understood, with its canonical query string."""
    return {"query": select_url(requirement).partition("?")[2],
            "landUse": list(requirement.land_uses), "areaMinMu": requirement.area_min_mu,
            "areaMaxMu": requirement.area_max_mu, "budgetMaxWan": requirement.budget_max_wan,
            "farMin": requirement.far_min, "farMax": requirement.far_max,
            "leaseMinYears": requirement.lease_min_years, "street": list(requirement.streets),
            "status": list(requirement.statuses),
            "constraints": [{"layer": c.layer, "op": c.op, "metres": c.metres,
                             "required": c.required} for c in requirement.constraints]}


def results_json(store: ParcelStore, results: list[Scored], with_geometry: bool) -> list[dict]:
    """Ranked single parcels; their geometry (lon/lat) re-read when asked for."""
    located = (with_geometries(store, (s.candidate.parcels[0] for s in results))
               if with_geometry else {})
    found = []
    for rank, scored in enumerate(results, 1):
        parcel = scored.candidate.parcels[0]
        item = {"rank": rank, "id": parcel.id, "code": parcel.code, "name": parcel.name,
                "landUse": parcel.land_use, "street": parcel.street, "status": parcel.status,
                "areaMu": round(parcel.area_mu, 2), "priceStartWan": parcel.price_start_wan,
                **_scored_json(scored)}
        if with_geometry:
            shape = located.get(parcel.id)
            item["geometry"] = mapping(shape.geometry) if shape and shape.geometry else None
        found.append(item)
    return found


def group_json(rank: int, group: GroupResult, with_geometry: bool) -> dict:
    """A group of adjacent parcels: members, areas, score, reasons, its outline if asked."""
    item = {"rank": rank, "parcels": [{"id": p.id, "code": p.code, "areaMu": round(p.area_mu, 2)}
                                      for p in group.scored.candidate.parcels],
            "areaMu": round(group.scored.candidate.area_mu, 2),
            "outlineAreaMu": round(group.outline.area_mu, 2),
            "description": reason_json(group.description), **_scored_json(group.scored)}
    if with_geometry:
        item["geometry"] = mapping(group.outline.geometry)
    return item


def selection_document(store: ParcelStore, selection: Selection, layers: list[ContextLayer],
                       limit: int, with_geometry: bool) -> dict:
    """The JSON answer of /api/select."""
    titles = {layer.name: layer.title for layer in layers}
    page = select_url(selection.requirement, external=True)
    return {
        "requirement": requirement_json(selection.requirement),
        "tooBroad": selection.too_broad, "numberCandidates": selection.candidates,
        "numberMatched": selection.number_matched,
        "numberReturned": min(limit, len(selection.results)),
        "results": results_json(store, selection.results[:limit], with_geometry),
        "groups": [group_json(rank, g, with_geometry)
                   for rank, g in enumerate(selection.groups, 1)],
        "groupsTooBroad": selection.groups_too_broad,
        "rejected": selection.rejected, "advice": advice(selection, titles),
        "links": [link(current_url(), "self", JSON), link(page, "alternate", HTML)],
    }


@bp.get("/select")
@api_operation(SELECT_PARAMETERS, {JSON: "Selection"}, tag="selection")
def select(query: dict):
    """Site selection: a requirement → ranked parcels with reasons, and adjacent groups."""
    store = get_store()
    layers = store.context.layers()
    requirement = build_requirement(query, {layer.name for layer in layers})
    selection = select_parcels(store, requirement, selection_limits(current_app.config), layers)
    document = selection_document(store, selection, layers, query["limit"], query["geometry"])
    return json_response(document, JSON)
