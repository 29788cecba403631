"""The map page's JSON for a filter changed in place: the list, the count, the map's data and
the filter's messages, bounded like the page itself (MAX_EMBED_PARCELS, one list page)."""

from flask import url_for
from flask_babel import ngettext

from webapp.domain.filter_form import FilterForm
from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import Parcel
from webapp.domain.parcel_key import parcel_url_key
from webapp.domain.units import m2_to_mu
from webapp.maps.features import parcels_to_feature_collection
from webapp.maps.tile_map import LIST_PAGE_SIZE
from webapp.public.filter_state import filter_state
from webapp.public.map_page import LIST_LIMIT, language
from webapp.public.texts import status_names
from webapp.public.tile_page import tile_source
from webapp.store import ParcelStore


def summary_text(matched: int, total_area_m2: float) -> str:
    """“N parcels, X mu in total” in the user's language (as the page prints it)."""
    return ngettext("%(num)s parcel, %(mu)s mu in total", "%(num)s parcels, %(mu)s mu in total",
                    matched, mu=f"{m2_to_mu(total_area_m2):,.2f}")


def list_item(parcel: Parcel, table: LandUseTable, lang: str, statuses: dict[str, str],
              with_bbox: bool) -> dict:
    """One row of the result list, every value plain text or a number."""
    item = {"id": parcel.id, "code": parcel.code, "name": parcel.name or "",
            "landUse": parcel.land_use, "landUseName": table.name(parcel.land_use, lang),
            "color": table.color(parcel.land_use), "areaMu": round(parcel.area_mu, 2),
            "street": parcel.street or "", "status": parcel.status,
            "statusName": statuses.get(parcel.status, parcel.status),
            "url": url_for("public.parcel", key=parcel_url_key(parcel.code, parcel.id))}
    if with_bbox and parcel.geometry is not None:
        item["bbox"] = [round(v, 6) for v in parcel.geometry.bounds]
    return item


def map_data(store: ParcelStore, table: LandUseTable, form: FilterForm, max_parcels: int,
             tile_mode: bool, offset: int = 0) -> dict:
    """The JSON of the map page for a filter: in tile mode one list page from offset (with
    each parcel's bbox) and the tile URL; otherwise the first list rows and every parcel's
    shape when at most max_parcels match (else `tooMany`)."""
    parcel_filter, lang, statuses = form.parcel_filter, language(), status_names()
    limit = LIST_PAGE_SIZE if tile_mode else max_parcels + 1
    page = store.query(parcel_filter, limit=limit, offset=offset if tile_mode else 0,
                       sort=form.sort)
    too_many = not tile_mode and page.number_matched > max_parcels
    state = filter_state(form, store.streets(), page.number_matched)
    rows = page.parcels if tile_mode else page.parcels[:LIST_LIMIT]
    data: dict = {
        "query": state.query, "href": state.href, "sort": state.sort,
        "numberMatched": page.number_matched, "totalAreaM2": round(page.total_area_m2, 2),
        "summary": summary_text(page.number_matched, page.total_area_m2),
        "items": [list_item(p, table, lang, statuses, tile_mode) for p in rows],
        "offset": offset if tile_mode else 0, "tooMany": too_many,
        "errors": state.errors, "unknownStreets": state.unknown_streets,
        "widen": [{"text": text, "href": href} for text, href in state.widen],
    }
    if tile_mode:
        data["tileUrl"] = tile_source(parcel_filter).tile_url
    elif not too_many:
        data["features"] = parcels_to_feature_collection(page.parcels)
        bounds = store.bounds(parcel_filter) if page.number_matched else None
        data["bounds"] = [[bounds[1], bounds[0]], [bounds[3], bounds[2]]] if bounds else None
    return data
