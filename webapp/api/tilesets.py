"""Vector tile set documents: the OGC API - Tiles tile set list and metadata, and TileJSON 3.0.0."""

from urllib.parse import urlencode

from flask import request

from webapp.api.documents import CRS84, OGC_REL
from webapp.api.links import api_url, link
from webapp.api.media import HTML, JSON, MVT
from webapp.api.params import FILTERS, text_search_min_zoom
from webapp.store.interface import Bounds
from webapp.tiles.grid import CRS_URI, MAX_LATITUDE, TILE_MATRIX_SET_URI, tile_limits
from webapp.tiles.mvt import ATTRIBUTES, LAYER

MIN_ZOOM = 0
MAX_ZOOM = 22  # advertised; the grid answers down to 24
CENTER_ZOOM = 14
WORLD = (-180.0, -MAX_LATITUDE, 180.0, MAX_LATITUDE)


def filter_query() -> str:
    """The filter parameters of this request, to carry into tile URLs (empty when none)."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k in FILTERS]
    return "?" + urlencode(pairs) if pairs else ""


def tile_template() -> str:
    """The tile URL template: z, then row {y}, then column {x}; Leaflet/MapLibre fill it in."""
    return api_url("api.tileset") + "/{z}/{y}/{x}" + filter_query()


def _summary(title: str) -> dict:
    return {"title": title, "dataType": "vector", "crs": CRS_URI,
            "tileMatrixSetURI": TILE_MATRIX_SET_URI}


def tile_links() -> list[dict]:
    """The tiling scheme and the templated tile link of the tile set."""
    return [link(TILE_MATRIX_SET_URI, OGC_REL + "tiling-scheme", JSON, "WebMercatorQuad"),
            link(tile_template(), "item", MVT, "Mapbox vector tile", templated=True),
            link(api_url("api.tilejson") + filter_query(), "describedby", JSON, "TileJSON"),
            style_link()]


def style_link() -> dict:
    """The MapLibre/Mapbox GL style of the tiles (rel stylesheet)."""
    from webapp.api.styles import MAPBOX_STYLE  # styles reads the tile documents' modules

    return link(api_url("api.style"), "stylesheet", MAPBOX_STYLE, "MapLibre / Mapbox GL style")


def tilesets(title: str) -> dict:
    """The list of tile sets of the collection (one: WebMercatorQuad vector tiles)."""
    entry = _summary(title) | {"links": [
        link(api_url("api.tileset") + filter_query(), "self", JSON, "Tile set metadata"),
        *tile_links()]}
    return {"tilesets": [entry], "links": [
        link(api_url("api.tilesets") + filter_query(), "self", JSON),
        link(api_url("api.collection"), "collection", JSON)]}


def tileset(title: str, bounds: Bounds | None) -> dict:
    """Tile set metadata: bounding box, tile matrix limits and the layer's attributes."""
    west, south, east, north = bounds or WORLD
    return _summary(title) | {
        "boundingBox": {"lowerLeft": [west, south], "upperRight": [east, north], "crs": CRS84},
        "tileMatrixSetLimits": [{"tileMatrix": str(z), **tile_limits((west, south, east, north),
                                                                      z)}
                                for z in range(MIN_ZOOM, MAX_ZOOM + 1)],
        "layers": [{"id": LAYER, "dataType": "vector", "geometryDimension": 2,
                    "minTileMatrix": str(MIN_ZOOM), "maxTileMatrix": str(MAX_ZOOM),
                    "propertiesSchema": {"type": "object", "properties": {
                        name: {"type": "integer" if name == "id" else kind.lower()}
                        for name, kind in ATTRIBUTES.items()}}}],
        "links": [link(api_url("api.tileset") + filter_query(), "self", JSON),
                  link(api_url("api.collection"), "collection", JSON),
                  link(api_url("api.collection", f="html"), "collection", HTML), *tile_links()],
    }


def tilejson(title: str, bounds: Bounds | None, attribution: str) -> dict:
    """TileJSON 3.0.0 for MapLibre, Leaflet.VectorGrid, QGIS and others."""
    west, south, east, north = bounds or WORLD
    min_zoom = max(MIN_ZOOM, text_search_min_zoom(request.args.get("q", "").strip()))
    return {
        "tilejson": "3.0.0", "name": title, "scheme": "xyz", "version": "1.0.0",
        "description": "Land parcels (layer `parcels`): id, code, land_use, status, area_m2, "
                       "area_mu. Details of a parcel: /api/collections/parcels/items/{id}.",
        "attribution": attribution, "tiles": [tile_template()],
        "minzoom": min_zoom, "maxzoom": MAX_ZOOM, "bounds": [west, south, east, north],
        "center": [(west + east) / 2, (south + north) / 2, CENTER_ZOOM],
        "vector_layers": [{"id": LAYER, "description": "Land parcels", "fields": ATTRIBUTES,
                           "minzoom": min_zoom, "maxzoom": MAX_ZOOM}],
        "links": [style_link()],  # beyond TileJSON's keys (allowed): the style to draw them
    }
