"""Translated display texts for the map's browser code and for parcel attributes."""

from flask_babel import gettext as _

from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import STATUSES, SUPPLY_METHODS


def status_names() -> dict[str, str]:
    """Display name of each parcel status in the current language."""
    names = {"available": _("Available"), "negotiating": _("Under negotiation"),
             "sold": _("Sold"), "reserve": _("Reserve")}
    return {s: names[s] for s in STATUSES}


def supply_method_names() -> dict[str, str]:
    """Display name of each supply method (供地方式) in the current language."""
    names = {"listing": _("Listing"), "auction": _("Auction"), "tender": _("Tender"),
             "agreement": _("Agreement")}
    return {s: names[s] for s in SUPPLY_METHODS}


def map_texts(land_use_codes: list[str], table: LandUseTable, language: str) -> dict:
    """Every text the map's JavaScript shows, so no UI string is hard-coded in JS."""
    return {
        "landUses": {code: table.name(code, language) for code in land_use_codes},
        "statuses": status_names(),
        "code": _("Parcel code"), "landUse": _("Land use"), "area": _("Area"),
        "street": _("Street"), "status": _("Status"), "details": _("Details"),
        "m2": _("m²"), "mu": _("mu"), "ha": _("ha"), "legend": _("Land use"),
    }
