"""Routes of the PDF brochures: one parcel, a site-selection shortlist, a filtered set (at most
BROCHURE_MAX_PARCELS pages; more is a 400 asking to narrow the filters)."""

from dataclasses import replace

from flask import current_app, request
from flask_babel import gettext as _

from webapp.api.selection import selection_limits
from webapp.auth.roles import is_staff
from webapp.brochures import bp
from webapp.brochures.document import brochure_response
from webapp.domain.errors import InvalidParameterError, NotFoundError
from webapp.domain.filters import parse_parcel_filter
from webapp.domain.messages import N_
from webapp.domain.parcel import Parcel
from webapp.public.views import find_parcel
from webapp.selection.requirement import parse_requirement
from webapp.selection.shortlist import select_parcels
from webapp.services import get_landuse_table, get_store

TOO_MANY = N_("A brochure holds at most %(maximum)s parcels and %(count)s match: narrow the "
              "filters.")


def bounded(parcels: list[Parcel], matched: int, parameter: str) -> list[Parcel]:
    """The parcels when there are some and no more than BROCHURE_MAX_PARCELS matched."""
    maximum = current_app.config["BROCHURE_MAX_PARCELS"]
    if matched > maximum:
        raise InvalidParameterError(parameter, TOO_MANY, maximum=maximum, count=matched)
    if not parcels:
        raise NotFoundError(_("No published parcel matches: there is nothing to print."))
    return parcels


@bp.get("/parcels/<path:key>/brochure.pdf")
def parcel_brochure(key: str):
    """One parcel's A4 brochure (drafts: staff only, like the parcel page)."""
    parcel = find_parcel(key)
    return brochure_response([parcel], parcel.code, f"brochure-{parcel.id}.pdf")


@bp.get("/brochure.pdf")
def set_brochure():
    """The brochure of the parcels the map's filters select, one page each."""
    parcel_filter = replace(parse_parcel_filter(request.args.getlist, get_landuse_table()),
                            include_drafts=is_staff())
    page = get_store().query(parcel_filter, limit=current_app.config["BROCHURE_MAX_PARCELS"])
    parcels = bounded(page.parcels, page.number_matched, "filter")
    return brochure_response(parcels, _("Parcels"), "brochure.pdf")


@bp.get("/select/brochure.pdf")
def shortlist_brochure():
    """The brochure of a site-selection shortlist: its best-ranked parcels (at most
    BROCHURE_MAX_PARCELS), one page each; 400 when the requirement is too broad to rank."""
    store = get_store()
    layers = store.context.layers()
    requirement = parse_requirement(request.args.getlist, get_landuse_table(),
                                    {layer.name for layer in layers})
    selection = select_parcels(store, requirement, selection_limits(current_app.config), layers)
    if selection.too_broad:
        raise InvalidParameterError("requirement", TOO_MANY,
                                    maximum=current_app.config["BROCHURE_MAX_PARCELS"],
                                    count=f"> {selection.candidates}")
    shortlist = selection.results[:current_app.config["BROCHURE_MAX_PARCELS"]]
    parcels = [scored.candidate.parcels[0] for scored in shortlist]
    return brochure_response(bounded(parcels, len(parcels), "requirement"),
                             _("Site selection"), "shortlist-brochure.pdf")
