"""build_parcel_map: a pure function from parcels and settings to a folium map (no Flask)."""

import re
from dataclasses import dataclass, field

import folium

from webapp.domain.parcel import Parcel
from webapp.maps.assets import localise_map_assets
from webapp.maps.context_layers import ContextLayers, ContextMap
from webapp.maps.controls import Legend, MapControls, ParcelLayer, map_islands
from webapp.maps.features import parcels_to_feature_collection
from webapp.maps.islands import DataIsland

MAP_ID = "parcels"
_FOLIUM_META = re.compile(r"<meta\s[^>]*>", re.S)
# folium.Map's header sets two Leaflet globals after leaflet.js has read them (so it does
# nothing) in an inline script the page's CSP would block: it is left out.
_FOLIUM_GLOBALS = re.compile(
    r"<script>\s*L_NO_TOUCH = false;\s*L_DISABLE_3D = false;\s*</script>", re.S)
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
DEFAULT_CENTER = (31.70, 118.51)


@dataclass(frozen=True)
class Basemap:
    """A raster tile basemap in Web Mercator; url empty means no basemap."""

    url: str
    attribution: str
    max_zoom: int = 19


@dataclass(frozen=True)
class MapOptions:
    """What the page needs beyond the parcels: colours, texts and links, all precomputed."""

    colors: dict[str, str]
    legend: list[tuple[str, str]]
    texts: dict[str, object]
    parcel_url: str
    bounds: tuple[float, float, float, float] | None = None
    selected_id: int | None = None
    controls: bool = True
    locate_title: str = ""
    extra: dict = field(default_factory=dict)
    context: ContextMap | None = None  # context layers drawn under the parcels, if any


def base_map(basemap: Basemap | None, bounds, map_id: str) -> folium.Map:
    """An empty map centred on bounds (CRS84), with the basemap if there is one."""
    center = DEFAULT_CENTER
    if bounds:
        center = ((bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2)
    # Zoom and scale come from MapControls (translated, metric only), not from folium.Map.
    m = folium.Map(location=center, zoom_start=13, tiles=None, zoom_control=False,
                   control_scale=False, prefer_canvas=False,
                   max_zoom=basemap.max_zoom if basemap else 19)
    m._id = map_id  # a stable JS name (map_parcels) so page scripts can reach the map
    if basemap and basemap.url:
        folium.TileLayer(tiles=basemap.url, attr=basemap.attribution, max_zoom=basemap.max_zoom,
                         name="basemap").add_to(m)
    return m


def build_parcel_map(parcels: list[Parcel], basemap: Basemap | None, options: MapOptions,
                     map_id: str = MAP_ID) -> folium.Map:
    """A Leaflet map of the parcels coloured by land use, with a legend and map controls.

    Its elements link only vendored and landgis's own scripts and styles (LookupError if not).
    """
    m = base_map(basemap, options.bounds, map_id)
    add_context_layers(m, options)
    bounds = options.bounds
    layer_options = {"colors": options.colors, "texts": options.texts,
                     "bounds": [[bounds[1], bounds[0]], [bounds[3], bounds[2]]] if bounds else None,
                     "parcelUrl": options.parcel_url, "selectedId": options.selected_id,
                     **options.extra}
    ParcelLayer(f"{m.get_name()}-parcels", parcels_to_feature_collection(parcels),
                layer_options).add_to(m)
    add_map_chrome(m, options)
    localise_map_assets(m)
    return m


def add_context_layers(m: folium.Map, options: MapOptions) -> None:
    """The context layers under the parcels (call before adding the parcels), if any."""
    if options.context and options.context.layers:
        ContextLayers(f"{m.get_name()}-context", options.context.island()).add_to(m)


def add_map_chrome(m: folium.Map, options: MapOptions) -> None:
    """The legend, zoom and a metric scale every parcel map shares, and the fullscreen and
    locate-me buttons (options.controls), all in the page's language (texts["controls"])."""
    context = options.context.legend() if options.context and options.context.layers else None
    if options.legend or context:
        Legend(f"{m.get_name()}-legend", options.legend,
               str(options.texts.get("legend", "")), context).add_to(m)
    texts = options.texts.get("controls") or {}
    if options.locate_title:
        texts = {**texts, "locate": options.locate_title}
    MapControls(f"{m.get_name()}-controls", dict(texts), options.controls).add_to(m)


@dataclass(frozen=True)
class RenderedMap:
    """The parts of a rendered folium map for inclusion in a page template.

    header holds script and stylesheet links and styles, html the map's div, script the code
    that builds the map (for one inline script with the page's CSP nonce), and islands the data
    that code reads (for JSON data islands rendered by the page template).
    """

    header: str
    html: str
    script: str
    islands: tuple[DataIsland, ...] = ()


def render_map_parts(m: folium.Map) -> RenderedMap:
    """Render a map into header (links, style), body (div), script and data island parts.

    folium's own viewport meta (which blocks pinch zoom) and charset meta are left out: the
    page template sets both. The header holds no inline script (ValueError if folium adds one).
    """
    figure = m.get_root()
    figure.render()
    header = _FOLIUM_GLOBALS.sub("", _FOLIUM_META.sub("", figure.header.render()))
    if _INLINE_SCRIPT.search(header):
        raise ValueError("folium's map header has an inline script the CSP would block")
    return RenderedMap(header=header, html=figure.html.render(), script=figure.script.render(),
                       islands=tuple(map_islands(m)))
