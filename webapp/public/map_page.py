"""Assemble what the map and parcel pages show from the store (no request parsing here)."""

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import get_locale

from webapp.domain.filters import ParcelFilter, filter_to_query
from webapp.domain.landuse import LandUse, LandUseTable
from webapp.domain.parcel import Parcel
from webapp.domain.parcel_order import DEFAULT_SORT
from webapp.maps.context_layers import ContextMap
from webapp.maps.parcel_map import (
    Basemap,
    MapOptions,
    RenderedMap,
    build_parcel_map,
    render_map_parts,
)
from webapp.public.context_map import context_map
from webapp.public.texts import map_texts
from webapp.store import LandUseShare, ParcelPage, ParcelStore

LIST_LIMIT = 500


@dataclass
class LandUseGroup:
    """A first-level land-use class and the codes under it that occur in the district."""

    top: LandUse | None
    code: str
    options: list[tuple[str, str, int]]  # (code, name, parcel count)

    @property
    def count(self) -> int:
        """Parcels in the whole class."""
        return sum(count for _, _, count in self.options)


@dataclass
class MapPage:
    """Everything the map page template needs."""

    page: ParcelPage
    rendered: RenderedMap | None
    too_many: bool
    groups: list[LandUseGroup]
    streets: list[str]
    share_query: list[tuple[str, str]]
    tile_mode: bool = False  # parcels come from vector tiles, the list from the API


def language() -> str:
    """The current UI language code."""
    return str(get_locale() or current_app.config["DEFAULT_LANGUAGE"])[:2]


def basemap_from_config() -> Basemap | None:
    """The configured basemap, or None when BASEMAP_URL is empty."""
    config = current_app.config
    if not config["BASEMAP_URL"]:
        return None
    return Basemap(config["BASEMAP_URL"], config["BASEMAP_ATTRIBUTION"],
                   config["BASEMAP_MAX_ZOOM"])


def land_use_groups(shares: list[LandUseShare], table: LandUseTable) -> list[LandUseGroup]:
    """Land-use filter options grouped by first-level class, from the codes in the store."""
    groups: dict[str, LandUseGroup] = {}
    lang = language()
    for share in sorted(shares, key=lambda s: s.land_use):
        top_code = share.land_use[:2]
        group = groups.setdefault(top_code, LandUseGroup(table.get(top_code), top_code, []))
        group.options.append((share.land_use, table.name(share.land_use, lang), share.count))
    return list(groups.values())


def map_options(parcels: list[Parcel], table: LandUseTable, bounds, selected_id=None,
                controls=True, context: ContextMap | None = None,
                codes: list[str] | None = None) -> MapOptions:
    """Colours, legend and texts for the land uses that occur among the parcels (or the given
    codes), and the context layers to draw under them."""
    from flask_babel import gettext as _

    codes = codes if codes is not None else sorted({p.land_use for p in parcels})
    lang = language()
    return MapOptions(
        colors={c: table.color(c) for c in codes},
        legend=[(table.color(c), f"{c} {table.name(c, lang)}") for c in codes],
        texts=map_texts(codes, table, lang),
        parcel_url=url_for("public.parcel", key="__CODE__"),
        bounds=bounds, selected_id=selected_id, controls=controls,
        locate_title=_("Show my location"), context=context,
    )


def build_map_page(store: ParcelStore, table: LandUseTable, parcel_filter: ParcelFilter,
                   max_parcels: int, sort: str = DEFAULT_SORT) -> MapPage:
    """Query the filtered parcels in the sort order and, when there are not too many, render
    their map (colours and legend for every land use of the district, so a filter changed in
    place finds its colours)."""
    page = store.query(parcel_filter, limit=max_parcels + 1, sort=sort)
    too_many = page.number_matched > max_parcels
    bounds = store.bounds(parcel_filter) or store.bounds()
    all_shares = store.landuse_breakdown(ParcelFilter())
    rendered = None
    if not too_many:
        codes = sorted({s.land_use for s in all_shares} | {p.land_use for p in page.parcels})
        options = map_options(page.parcels, table, bounds,
                              context=context_map(store, language()), codes=codes)
        rendered = render_map_parts(build_parcel_map(page.parcels, basemap_from_config(),
                                                     options))
    return MapPage(page=page, rendered=rendered, too_many=too_many,
                   groups=land_use_groups(all_shares, table), streets=store.streets(),
                   share_query=filter_to_query(parcel_filter))


def build_parcel_map_parts(parcel: Parcel, table: LandUseTable,
                           store: ParcelStore | None = None) -> RenderedMap:
    """The small map of one parcel on its page, with the store's context layers if given."""
    bounds = parcel.geometry.bounds if parcel.geometry is not None else None
    context = context_map(store, language()) if store is not None else None
    options = map_options([parcel], table, bounds, selected_id=parcel.id, controls=False,
                          context=context)
    return render_map_parts(build_parcel_map([parcel], basemap_from_config(), options,
                                             map_id="parcel"))
