"""build_tile_map: a pure function to a folium map whose parcels come from vector tiles (no Flask).

For large districts: the page carries no parcel data, only the tile URL template (filters in its
query string), the colour table and the texts. The browser (static/landgis/tile-map.js) styles
the tiles by land use, fetches popups from the API and pages the result list from the API.
"""

import math
from dataclasses import dataclass
from typing import ClassVar

import folium

from webapp.maps.assets import localise_map_assets
from webapp.maps.controls import LANDGIS_JS, VECTORGRID_JS, IslandElement
from webapp.maps.parcel_map import (
    MAP_ID,
    Basemap,
    MapOptions,
    add_context_layers,
    add_map_chrome,
    base_map,
)

TILE_MAP_JS = ("landgis_tile_map_js", "/static/landgis/tile-map.js")
LIST_PAGE_SIZE = 50  # parcels per page of the result list
# Most parcels a tile should hold on average: a dense z12 tile of ~3,300 parcels is 300-550 kB
# and takes the browser about a second to decode and draw; far heavier tiles stall the page.
MAX_PARCELS_PER_TILE = 4000
MAX_DETAIL_ZOOM = 14


def _mercator_y(lat: float) -> float:
    """Latitude as a fraction of the Web Mercator square, 0 at the north edge."""
    lat = max(min(lat, 85.0511), -85.0511)
    return (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2


def detail_min_zoom(count: int, bounds: tuple[float, float, float, float] | None,
                    max_per_tile: int = MAX_PARCELS_PER_TILE) -> int:
    """Lowest zoom at which the district's parcels (count in CRS84 bounds) average at most
    max_per_tile per tile; below it the map draws no parcel tiles. 0 for small districts."""
    if bounds is None or count <= max_per_tile:
        return 0
    width = (bounds[2] - bounds[0]) / 360
    height = abs(_mercator_y(bounds[1]) - _mercator_y(bounds[3]))
    for z in range(MAX_DETAIL_ZOOM + 1):
        tiles = max(1.0, width * 2**z) * max(1.0, height * 2**z)
        if count / tiles <= max_per_tile:
            return z
    return MAX_DETAIL_ZOOM


@dataclass(frozen=True)
class TileSource:
    """Where the browser gets parcels: URL templates with the filters already in the query.

    tile_url has {z}/{y}/{x} (tile matrix, row, column) placeholders; item_url has __ID__;
    items_url lists matching parcels (limit and offset are appended by the browser).
    layer and the attribute names are those of the MVT (webapp.tiles.mvt).
    """

    tile_url: str
    item_url: str
    items_url: str
    layer: str = "parcels"
    id_attribute: str = "id"
    land_use_attribute: str = "land_use"
    page_size: int = LIST_PAGE_SIZE
    min_zoom: int = 0  # below it no parcel tiles are asked for (see detail_min_zoom)


class TileParcelLayer(IslandElement):
    """Parcels drawn from vector tiles, styled by land use in the browser (options in an island)."""

    default_js: ClassVar[list[tuple[str, str]]] = [VECTORGRID_JS, LANDGIS_JS, TILE_MAP_JS]
    function = "addTileLayer"


def tile_layer_options(options: MapOptions, source: TileSource) -> dict:
    """The options landgis.addTileLayer reads: colours, texts, bounds and the URL templates."""
    bounds = options.bounds
    return {"colors": options.colors, "texts": options.texts,
            "bounds": [[bounds[1], bounds[0]], [bounds[3], bounds[2]]] if bounds else None,
            "parcelUrl": options.parcel_url, "tileUrl": source.tile_url,
            "itemUrl": source.item_url, "itemsUrl": source.items_url, "layer": source.layer,
            "idAttribute": source.id_attribute, "landUseAttribute": source.land_use_attribute,
            "pageSize": source.page_size, "minZoom": source.min_zoom, **options.extra}


def build_tile_map(basemap: Basemap | None, options: MapOptions, source: TileSource,
                   map_id: str = MAP_ID) -> folium.Map:
    """A Leaflet map of vector-tile parcels coloured by land use, with legend and controls.

    Its elements link only vendored and landgis's own scripts and styles (LookupError if not).
    """
    m = base_map(basemap, options.bounds, map_id)
    add_context_layers(m, options)
    TileParcelLayer(f"{m.get_name()}-tiles", tile_layer_options(options, source)).add_to(m)
    add_map_chrome(m, options)
    localise_map_assets(m)
    return m
