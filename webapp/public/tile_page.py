"""The map page of a large district: parcels from vector tiles, the result list from the API.

The page switches to this mode when the district (every parcel the visitor may see, regardless
of the filter) has more than TILE_MAP_THRESHOLD parcels, so the kind of map does not change while
someone filters. The HTML then holds no parcel data at all: its size does not grow with the
district.
"""

from urllib.parse import urlencode

from flask import url_for
from flask_babel import get_translations
from flask_babel import gettext as _

from webapp.api.params import text_search_min_zoom
from webapp.domain.filters import ParcelFilter, filter_to_query
from webapp.domain.landuse import LandUseTable
from webapp.maps.context_layers import ContextMap
from webapp.maps.parcel_map import MapOptions, render_map_parts
from webapp.maps.tile_map import TileSource, build_tile_map, detail_min_zoom
from webapp.public.context_map import context_map
from webapp.public.map_page import MapPage, basemap_from_config, land_use_groups, language
from webapp.public.texts import map_texts
from webapp.store import ParcelPage, ParcelStore


def uses_tile_map(store: ParcelStore, parcel_filter: ParcelFilter, threshold: int) -> bool:
    """True when the district has more parcels than threshold (the filter does not count)."""
    return store.count(include_drafts=parcel_filter.include_drafts) > threshold


def api_filter_query(parcel_filter: ParcelFilter) -> list[tuple[str, str]]:
    """The API's filter parameters (land_use, street, status, area_*_mu, q) for a ParcelFilter."""
    pairs = [(name, ",".join(values)) for name, values in (
        ("land_use", parcel_filter.land_uses), ("street", parcel_filter.streets),
        ("status", parcel_filter.statuses)) if values]
    for name, value in (("area_min_mu", parcel_filter.area_min_mu),
                        ("area_max_mu", parcel_filter.area_max_mu)):
        if value is not None:
            pairs.append((name, f"{value:g}"))
    if parcel_filter.text:
        pairs.append(("q", parcel_filter.text))
    return pairs


def _with_query(url: str, pairs: list[tuple[str, str]]) -> str:
    return f"{url}?{urlencode(pairs)}" if pairs else url


def tile_source(parcel_filter: ParcelFilter, min_zoom: int = 0) -> TileSource:
    """Tile, item and items URL templates carrying the filter (the list also gets the bbox)."""
    pairs = api_filter_query(parcel_filter)
    list_pairs = pairs + ([("bbox", ",".join(f"{v:g}" for v in parcel_filter.bbox))]
                          if parcel_filter.bbox else [])
    tile_url = url_for("api.tileset") + "/{z}/{y}/{x}"
    return TileSource(tile_url=_with_query(tile_url, pairs),
                      item_url=url_for("api.item", feature_id="__ID__"),
                      items_url=_with_query(url_for("api.items"), list_pairs), min_zoom=min_zoom)


def list_texts() -> dict[str, str]:
    """Texts of the result list that the browser fills from the API."""
    def summary(n: int) -> str:  # flask_babel's ngettext would fill num with n itself
        form = get_translations().ngettext("%(num)s parcel, %(mu)s mu in total",
                                           "%(num)s parcels, %(mu)s mu in total", n)
        return form % {"num": "__NUM__", "mu": "__MU__"}

    return {"summaryOne": summary(1), "summaryOther": summary(2), "more": _("Show more"),
            "loading": _("Loading parcels…"), "loadError": _("The parcels could not be loaded."),
            "listRange": _("Showing %(shown)s of %(total)s", shown="__SHOWN__",
                           total="__TOTAL__"),
            "zoomIn": _("Zoom in to see the parcels.")}


def tile_map_options(table: LandUseTable, codes: list[str], bounds,
                     context: ContextMap | None = None) -> MapOptions:
    """Colours, legend and texts for every land use of the district (tiles may hold any), and
    the context layers to draw under the parcels."""
    lang = language()
    return MapOptions(
        colors={c: table.color(c) for c in codes},
        legend=[(table.color(c), f"{c} {table.name(c, lang)}") for c in codes],
        texts={**map_texts(codes, table, lang), **list_texts()},
        parcel_url=url_for("public.parcel", key="__CODE__"), bounds=bounds,
        locate_title=_("Show my location"), context=context,
    )


def build_tile_map_page(store: ParcelStore, table: LandUseTable, parcel_filter: ParcelFilter
                        ) -> MapPage:
    """The map page without parcel data: filters, land-use groups and the tile map."""
    district = ParcelFilter(include_drafts=parcel_filter.include_drafts)
    shares = store.landuse_breakdown(district)
    codes = sorted({s.land_use for s in shares})
    district_bounds = store.bounds(district)
    bounds = parcel_filter.bbox or (district_bounds if parcel_filter == district
                                    else store.bounds(parcel_filter) or store.bounds())
    min_zoom = detail_min_zoom(sum(s.count for s in shares), district_bounds)
    min_zoom = max(min_zoom, text_search_min_zoom(parcel_filter.text))  # no q tiles below it
    options = tile_map_options(table, codes, bounds, context_map(store, language()))
    m = build_tile_map(basemap_from_config(), options, tile_source(parcel_filter, min_zoom))
    published = (store.landuse_breakdown(ParcelFilter()) if parcel_filter.include_drafts
                 else shares)
    return MapPage(page=ParcelPage(parcels=[], number_matched=0, total_area_m2=0.0),
                   rendered=render_map_parts(m), too_many=False,
                   groups=land_use_groups(published, table), streets=store.streets(),
                   share_query=filter_to_query(parcel_filter), tile_mode=True)
