"""Small folium elements that hand the map's data to landgis's own browser code.

The elements' script names only the map and a data island id; the data itself goes to the page
as a JSON data island (webapp.maps.islands) that the page template renders once. branca compiles
every element's rendered script again as a Jinja template, so no value from a file, a form or
the store may ever reach these templates.
"""

from typing import ClassVar

import folium
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from webapp.maps.assets import LOCAL_ASSETS, VENDOR_URL
from webapp.maps.islands import DataIsland

LANDGIS_JS = ("landgis_map_js", "/static/landgis/map.js")
VECTORGRID_JS = ("leaflet_vectorgrid", f"{VENDOR_URL}/{LOCAL_ASSETS['leaflet_vectorgrid']}")
CONTROLS_JS = ("landgis_map_controls_js", "/static/landgis/map-controls.js")


def _vendored(name: str) -> tuple[str, str]:
    return (name, f"{VENDOR_URL}/{LOCAL_ASSETS[name]}")


class IslandElement(JSCSSMixin, MacroElement):
    """A map element whose browser code reads its data from a data island.

    Subclasses set `function` (a landgis.* function taking the map and the island id).
    """

    default_js: ClassVar[list[tuple[str, str]]] = [LANDGIS_JS]
    function = ""
    _template = Template("""
        {% macro script(this, kwargs) %}
        landgis.{{ this.function }}({{ this._parent.get_name() }}, "{{ this.island.id }}");
        {% endmacro %}
    """)

    def __init__(self, island_id: str, data: object) -> None:
        super().__init__()
        self._name = type(self).__name__
        self.island = DataIsland(island_id, data)  # the id is checked to be a plain name


class ParcelLayer(IslandElement):
    """Parcel polygons styled by land use in the browser (one colour table, not per feature)."""

    function = "addParcelLayer"

    def __init__(self, island_id: str, feature_collection: dict, options: dict) -> None:
        super().__init__(island_id, {"data": feature_collection, "options": options})


class Legend(IslandElement):
    """A collapsible legend control listing land-use colours and names, and the context
    layers when the map draws any."""

    function = "addLegend"

    def __init__(self, island_id: str, items: list[tuple[str, str]], title: str,
                 context: dict | None = None) -> None:
        data: dict = {"items": [{"color": c, "label": n} for c, n in items], "title": title}
        if context:  # the context layers' section (webapp.maps.context_layers.ContextMap)
            data["context"] = context
        super().__init__(island_id, data)


class MapControls(IslandElement):
    """The map's buttons and scale in the page's language: zoom, a metric scale bar, and with
    `full` also full screen and locate-me (location errors shown inside the map). texts come
    from webapp.public.texts.map_control_texts; folium.Map's own zoom and scale are left off."""

    default_js: ClassVar[list[tuple[str, str]]] = [
        LANDGIS_JS, _vendored("Control.Fullscreen.js"), _vendored("Control_locate_min_js"),
        CONTROLS_JS]
    default_css: ClassVar[list[tuple[str, str]]] = [
        _vendored("Control.FullScreen.css"), _vendored("Control_locate_min_css")]
    function = "addMapControls"

    def __init__(self, island_id: str, texts: dict, full: bool) -> None:
        super().__init__(island_id, {"texts": texts, "full": full})


def map_islands(m: folium.Map) -> list[DataIsland]:
    """The data islands of the map's elements, in the order the elements were added."""
    return [child.island for child in m._children.values() if isinstance(child, IslandElement)]
