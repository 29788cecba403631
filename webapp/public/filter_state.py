"""What the map page says about its filter: field errors, unknown streets, the order, and ways
to widen an empty result (the page and its JSON both show them)."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import url_for
from flask_babel import gettext as _

from webapp.domain.errors import InvalidParameterError
from webapp.domain.filter_form import FilterForm, widened_filters
from webapp.domain.filters import ParcelFilter, filter_to_query
from webapp.domain.parcel_order import DEFAULT_SORT, SORTS


@dataclass
class FilterState:
    """The filter's messages and links, in the user's language."""

    query: list[tuple[str, str]]  # the query string that reproduces the view
    sort: str = DEFAULT_SORT
    errors: dict[str, str] = field(default_factory=dict)  # form field → message
    unknown_streets: list[str] = field(default_factory=list)
    widen: list[tuple[str, str]] = field(default_factory=list)  # (link text, href)

    @property
    def href(self) -> str:
        """The map page's address for this view."""
        return map_href(self.query)


def map_href(pairs: list[tuple[str, str]]) -> str:
    """The map page's address with these query pairs."""
    base = url_for("public.index")
    return f"{base}?{urlencode(pairs)}" if pairs else base


def sort_names() -> dict[str, str]:
    """Display name of each sort order in the current language."""
    names = {"status": _("Available first"), "code": _("Parcel code"),
             "-area": _("Largest area first"), "area": _("Smallest area first"),
             "price": _("Lowest starting price first"),
             "-price": _("Highest starting price first"),
             "-updated": _("Recently updated first"), "updated": _("Least recently updated first")}
    return {s: names[s] for s in SORTS}


def constraint_names() -> dict[str, str]:
    """How the widen links name each constraint they drop."""
    return {"land_use": _("land use"), "street": _("street"), "status": _("status"),
            "area": _("area"), "q": _("search text"), "bbox": _("map area")}


def field_message(error: InvalidParameterError) -> str:
    """The error's message in the user's language, without the parameter name."""
    return _(error.message, **error.params) if error.params else _(error.message)


def page_query(parcel_filter: ParcelFilter, sort: str) -> list[tuple[str, str]]:
    """Query pairs of a filter and order (the default order is left out)."""
    return filter_to_query(parcel_filter) + ([("sort", sort)] if sort != DEFAULT_SORT else [])


def filter_state(form: FilterForm, known_streets: list[str], matched: int) -> FilterState:
    """The messages and links of a parsed form whose filter matched `matched` parcels."""
    parcel_filter = form.parcel_filter
    errors = {name: field_message(error) for name, error in form.errors.items()}
    unknown = [s for s in parcel_filter.streets if s not in known_streets]
    if unknown:
        errors["street"] = _("No published parcel lies on the street “%(street)s”.",
                             street="、".join(unknown))
    widen: list[tuple[str, str]] = []
    if matched == 0 and not parcel_filter.is_empty():
        names = constraint_names()
        widen = [(_("Without the %(constraint)s filter", constraint=names[name]),
                  map_href(page_query(wider, form.sort)))
                 for name, wider in widened_filters(parcel_filter)]
        widen.append((_("Show all parcels"), map_href(page_query(ParcelFilter(), form.sort))))
    return FilterState(page_query(parcel_filter, form.sort), form.sort, errors, unknown, widen)
