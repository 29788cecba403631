"""Small folium elements that hand the map's data to landgis's own browser code."""

import json

from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

LANDGIS_JS = ("landgis_map_js", "/static/landgis/map.js")


class ParcelLayer(JSCSSMixin, MacroElement):
    """Parcel polygons styled by land use in the browser (one colour table, not per feature)."""

    default_js = [LANDGIS_JS]
    _template = Template("""
        {% macro script(this, kwargs) %}
        landgis.addParcelLayer({{ this._parent.get_name() }}, {{ this.data_json }},
                               {{ this.options_json }});
        {% endmacro %}
    """)

    def __init__(self, feature_collection: dict, options: dict) -> None:
        super().__init__()
        self._name = "ParcelLayer"
        self.data_json = json.dumps(feature_collection, ensure_ascii=False,
                                    separators=(",", ":"))
        self.options_json = json.dumps(options, ensure_ascii=False, separators=(",", ":"))


class Legend(JSCSSMixin, MacroElement):
    """A collapsible legend control listing land-use colours and names."""

    default_js = [LANDGIS_JS]
    _template = Template("""
        {% macro script(this, kwargs) %}
        landgis.addLegend({{ this._parent.get_name() }}, {{ this.items_json }},
                          {{ this.title_json }});
        {% endmacro %}
    """)

    def __init__(self, items: list[tuple[str, str]], title: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.items_json = json.dumps([{"color": c, "label": n} for c, n in items],
                                     ensure_ascii=False)
        self.title_json = json.dumps(title, ensure_ascii=False)
