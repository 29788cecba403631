"""Context layers on a map (no Flask): roads, the river, interchanges, street boundaries...
drawn under the parcels from the combined context vector tiles, styled per kind, each layer
toggleable in the layer control and listed in the legend.

The browser code (static/landgis/context-layers.js) gets everything from one data island: the
tile URL template, and per layer its name, title, kind label and Leaflet path style. Nothing
about kinds is written in the JS: the styles come from CONTEXT_KINDS through context_style.
"""

from dataclasses import dataclass
from typing import ClassVar

from webapp.domain.context import CONTEXT_KINDS, ContextKind, ContextLayer
from webapp.maps.controls import LANDGIS_JS, VECTORGRID_JS, IslandElement
from webapp.store.context_store import CONTEXT_TILE_LAYER

CONTEXT_JS = ("landgis_context_js", "/static/landgis/context-layers.js")
CONTEXT_CSS = ("landgis_context_css", "/static/landgis/context.css")
# Polygon fill opacity per kind: areas stay light so the parcels above read first; a street
# boundary is an outline only (it covers the whole district).
FILL_OPACITY = {"river": 0.55, "riverside_belt": 0.3, "park": 0.45, "residential": 0.4,
                "street_boundary": 0.0}
DEFAULT_FILL_OPACITY = 0.3
DASHED = {"street_boundary": "8 5", "railway": "10 4"}
POINT_RADIUS = {"interchange": 7, "port": 6, "station": 6}
DEFAULT_POINT_RADIUS = 5
Bounds = tuple[float, float, float, float]


def context_style(kind: ContextKind) -> dict:
    """Leaflet path options of a kind: lines in its colour and width, polygons lightly filled,
    points as small circles with a white rim."""
    if kind.family == "point":
        return {"radius": POINT_RADIUS.get(kind.key, DEFAULT_POINT_RADIUS), "fill": True,
                "fillColor": kind.colour, "fillOpacity": 1.0, "color": "#ffffff",
                "weight": kind.width, "opacity": 1.0}
    style: dict = {"color": kind.colour, "weight": kind.width, "opacity": 0.9,
                   "lineCap": "round", "lineJoin": "round"}
    if kind.key in DASHED:
        style["dashArray"] = DASHED[kind.key]
    if kind.family == "polygon":
        fill_opacity = FILL_OPACITY.get(kind.key, DEFAULT_FILL_OPACITY)
        style |= {"fill": fill_opacity > 0, "fillColor": kind.colour,
                  "fillOpacity": fill_opacity}
    else:
        style["fill"] = False
    return style


def swatch_shape(kind: ContextKind) -> str:
    """How the legend and the layer control draw a kind's swatch: point, line, area (a filled
    polygon) or outline (a polygon drawn as its boundary only)."""
    if kind.family != "polygon":
        return kind.family
    return "area" if FILL_OPACITY.get(kind.key, DEFAULT_FILL_OPACITY) > 0 else "outline"


def kind_label(kind: ContextKind, language: str) -> str:
    """The kind's name in the UI language (zh or en)."""
    return kind.label_zh if language == "zh" else kind.label_en


@dataclass(frozen=True)
class ContextMap:
    """What a map needs to draw the context layers: the layers and where their tiles are.

    tile_url has {z}/{y}/{x} placeholders (tile matrix, row, column) and serves every layer in
    one MVT layer (CONTEXT_TILE_LAYER); texts holds the legend's and control's headings.
    """

    layers: tuple[ContextLayer, ...]
    tile_url: str
    language: str
    texts: dict[str, str]

    def bounds(self) -> Bounds | None:
        """The lon/lat box around every layer with features (no tiles are asked outside)."""
        boxes = [layer.bounds for layer in self.layers if layer.bounds]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))

    def layer_entries(self) -> list[dict]:
        """Per layer, in drawing order (areas, then lines, then points): name, title, kind,
        family, label, swatch (shape and colour) and style."""
        order = {"polygon": 0, "line": 1, "point": 2}
        layers = sorted(self.layers, key=lambda layer: (order[layer.family], layer.name))
        return [{"name": layer.name, "title": layer.title, "kind": layer.kind,
                 "family": layer.family, "label": kind_label(kind, self.language),
                 "swatch": swatch_shape(kind), "color": kind.colour,
                 "style": context_style(kind)}
                for layer, kind in ((layer, CONTEXT_KINDS[layer.kind]) for layer in layers)]

    def island(self) -> dict:
        """The data of the map's context island (read by landgis.addContextLayers)."""
        bounds = self.bounds()
        return {"tileUrl": self.tile_url, "tileLayer": CONTEXT_TILE_LAYER,
                "bounds": [[bounds[1], bounds[0]], [bounds[3], bounds[2]]] if bounds else None,
                "layers": self.layer_entries(), "texts": self.texts}

    def legend(self) -> dict:
        """The legend's context section: one row per layer with its kind's swatch."""
        return {"title": self.texts.get("legend", ""), "items": [
            {"color": entry["color"], "swatch": entry["swatch"], "label": entry["label"],
             "title": entry["title"]} for entry in self.layer_entries()]}


class ContextLayers(IslandElement):
    """The context layers under the parcels, with their layer control (options in an island).

    Added before the parcel layer, so its pane is made first; its pane lies between the basemap
    and the parcels."""

    default_js: ClassVar[list[tuple[str, str]]] = [VECTORGRID_JS, LANDGIS_JS, CONTEXT_JS]
    default_css: ClassVar[list[tuple[str, str]]] = [CONTEXT_CSS]
    function = "addContextLayers"
