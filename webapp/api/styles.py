"""Map styles for GIS clients (OGC API - Styles): the MapLibre/Mapbox GL style document of the
parcel and context vector tiles, coloured by land use with the web map's palette, and the list
of styles with a link per encoding (Mapbox GL style, SLD 1.0, QGIS QML)."""

from webapp.api.context_documents import tile_template as context_tile_template
from webapp.api.links import api_url, link
from webapp.api.media import JSON
from webapp.domain.context import CONTEXT_KINDS
from webapp.domain.landuse import UNKNOWN_COLOR, LandUseTable
from webapp.store.context_store import CONTEXT_TILE_LAYER
from webapp.tiles.mvt import LAYER

STYLE_ID = "landuse"  # the one style: parcels by land use, context layers by kind
MAPBOX_STYLE = "application/vnd.mapbox.style+json"
SLD = "application/vnd.ogc.sld+xml;version=1.0"
QML = "application/vnd.qgis.qml"
STYLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/styles"
FILL_OPACITY = 0.7
# Parcel outlines by status, as the web map draws them (webapp/static/landgis/map.js STATUS_STYLES).
STATUS_OUTLINES = {"available": ("#1b5e20", 2.5), "negotiating": ("#e65100", 2.0),
                   "reserve": ("#0b3d91", 1.5), "sold": ("#9e9e9e", 1.0)}
OTHER_OUTLINE = ("#37474f", 1.0)


def landuse_colours(table: LandUseTable) -> dict[str, str]:
    """Land-use code → #rrggbb for every class of the primary scheme (the web map's palette)."""
    return {c.code: table.color(c.code) for c in table.classes()}


def match(attribute: str, values: dict[str, object], fallback: object) -> list:
    """A style-spec `match` expression on a feature attribute (values in key order). Each label
    is a one-item array (the spec allows arrays of literals): QGIS 3.22's converter turns a bare
    string label into an empty `IN ()`, and would draw every parcel in the default colour."""
    pairs = [item for key, value in values.items() for item in ([key], value)]
    return ["match", ["get", attribute], *pairs, fallback]


def _kind_match(field: str, family: str, fallback: object) -> list:
    kinds = {key: getattr(kind, field) for key, kind in CONTEXT_KINDS.items()
             if kind.family == family}
    return match("kind", kinds, fallback)


def context_layers() -> list[dict]:
    """Context features under the parcels: areas, lines and points, coloured by kind."""
    source = {"source": "context", "source-layer": CONTEXT_TILE_LAYER}
    polygons = ["==", ["geometry-type"], "Polygon"]
    return [
        {"id": "context-areas", "type": "fill", **source, "filter": polygons,
         "paint": {"fill-color": _kind_match("colour", "polygon", UNKNOWN_COLOR),
                   "fill-opacity": 0.35}},
        {"id": "context-area-outlines", "type": "line", **source, "filter": polygons,
         "paint": {"line-color": _kind_match("colour", "polygon", UNKNOWN_COLOR),
                   "line-width": _kind_match("width", "polygon", 1.0)}},
        {"id": "context-lines", "type": "line", **source,
         "filter": ["==", ["geometry-type"], "LineString"],
         "layout": {"line-cap": "round", "line-join": "round"},
         "paint": {"line-color": _kind_match("colour", "line", UNKNOWN_COLOR),
                   "line-width": _kind_match("width", "line", 2.0)}},
        {"id": "context-points", "type": "circle", **source,
         "filter": ["==", ["geometry-type"], "Point"],
         "paint": {"circle-color": _kind_match("colour", "point", UNKNOWN_COLOR),
                   "circle-radius": 5, "circle-stroke-color": "#ffffff",
                   "circle-stroke-width": 1.5}},
    ]


def parcel_layers(table: LandUseTable) -> list[dict]:
    """Parcels filled by land-use code, outlined by status."""
    source = {"source": "parcels", "source-layer": LAYER}
    return [
        {"id": "parcels-fill", "type": "fill", **source,
         "paint": {"fill-color": match("land_use", landuse_colours(table), UNKNOWN_COLOR),
                   "fill-opacity": FILL_OPACITY}},
        {"id": "parcels-outline", "type": "line", **source,
         "paint": {"line-color": match("status", {k: v[0] for k, v in STATUS_OUTLINES.items()},
                                       OTHER_OUTLINE[0]),
                   "line-width": match("status", {k: v[1] for k, v in STATUS_OUTLINES.items()},
                                       OTHER_OUTLINE[1])}},
    ]


def mapbox_style(title: str, table: LandUseTable, parcel_tiles: str, attribution: str,
                 min_zoom: int, max_zoom: int) -> dict:
    """The MapLibre/Mapbox GL style (spec version 8) of the parcel and context tiles, with
    absolute tile URLs (no basemap: clients put their own underneath)."""
    return {
        "version": 8, "name": title,
        "metadata": {"landgis:style": STYLE_ID,
                     "landgis:description": "Parcels by land-use code (official colours; "
                                            "sub-classes without their own get shades of "
                                            "their parent's), context layers by kind."},
        "sources": {
            "parcels": {"type": "vector", "tiles": [parcel_tiles], "minzoom": min_zoom,
                        "maxzoom": max_zoom, "attribution": attribution},
            "context": {"type": "vector", "tiles": [context_tile_template()],
                        "minzoom": min_zoom, "maxzoom": max_zoom, "attribution": attribution},
        },
        "layers": [*context_layers(), *parcel_layers(table)],
    }


def style_links() -> list[dict]:
    """The style's stylesheets: Mapbox GL (tiles), SLD and QML (the features layer)."""
    return [
        link(api_url("api.style"), "stylesheet", MAPBOX_STYLE, "MapLibre / Mapbox GL style"),
        link(api_url("api.style_sld"), "stylesheet", SLD, "SLD 1.0 (parcels by land use)"),
        link(api_url("api.style_qml"), "stylesheet", QML, "QGIS QML (parcels by land use)"),
    ]


def styles_document(self_url: str) -> dict:
    """OGC API - Styles: the list of styles (one) with its stylesheets."""
    return {"styles": [{"id": STYLE_ID, "title": "Land use (official colours)",
                        "links": style_links()}],
            "default": STYLE_ID, "links": [link(self_url, "self", JSON)]}
