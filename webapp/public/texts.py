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
        "controls": map_control_texts(),
    }


def map_control_texts() -> dict[str, str]:
    """Texts of the map's buttons, scale and location messages (static/landgis/map-controls.js),
    Leaflet's and its plugins' built-in English included."""
    return {
        "zoomIn": _("Zoom in"), "zoomOut": _("Zoom out"), "fullscreen": _("Full screen"),
        "fullscreenExit": _("Leave full screen"), "locate": _("Show my location"),
        "locatePopup": _("You are within %(distance)s %(unit)s of this point",
                         distance="{distance}", unit="{unit}"),
        "meters": _("metres"), "feet": _("feet"),
        "locationDenied": _("Your location is not available: the browser was not allowed to "
                            "share it. Allow location for this site in the browser settings."),
        "locationUnavailable": _("Your location could not be found."),
        "locationTimeout": _("Finding your location took too long. Try again."),
        "locationFailed": _("Your location could not be found."),
        "locationOutside": _("You seem to be outside the district's map."),
        "layers": _("Map layers"), "closePopup": _("Close"), "close": _("Close"),
        "leaflet": _("Leaflet, the map library this page uses"),
    }
