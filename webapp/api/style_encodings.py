"""The parcels' land-use style for the OGC API - Features layer as SLD 1.0 and QGIS QML: one
rule or category per land-use code, with the web map's colours (texts escaped by ElementTree)."""

from xml.etree import ElementTree as ET

from webapp.domain.landuse import UNKNOWN_COLOR

SLD_NS = "http://www.opengis.net/sld"
OGC_NS = "http://www.opengis.net/ogc"
FILL_OPACITY = 0.7
OUTLINE = "#37474f"
ATTRIBUTE = "land_use"

ET.register_namespace("", SLD_NS)
ET.register_namespace("ogc", OGC_NS)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _css(parent: ET.Element, name: str, value: str) -> None:
    _sub(parent, f"{{{SLD_NS}}}CssParameter", value, name=name)


def _sld_rule(style: ET.Element, name: str, title: str, colour: str, code: str | None) -> None:
    rule = _sub(style, f"{{{SLD_NS}}}Rule")
    _sub(rule, f"{{{SLD_NS}}}Name", name)
    _sub(rule, f"{{{SLD_NS}}}Title", title)
    if code is None:
        _sub(rule, f"{{{SLD_NS}}}ElseFilter")
    else:
        equal = _sub(_sub(rule, f"{{{OGC_NS}}}Filter"), f"{{{OGC_NS}}}PropertyIsEqualTo")
        _sub(equal, f"{{{OGC_NS}}}PropertyName", ATTRIBUTE)
        _sub(equal, f"{{{OGC_NS}}}Literal", code)
    symbolizer = _sub(rule, f"{{{SLD_NS}}}PolygonSymbolizer")
    fill = _sub(symbolizer, f"{{{SLD_NS}}}Fill")
    _css(fill, "fill", colour)
    _css(fill, "fill-opacity", f"{FILL_OPACITY:g}")
    stroke = _sub(symbolizer, f"{{{SLD_NS}}}Stroke")
    _css(stroke, "stroke", OUTLINE)
    _css(stroke, "stroke-width", "1")


def landuse_sld(layer: str, title: str, classes: list[tuple[str, str, str]],
                other_label: str) -> bytes:
    """SLD 1.0 of `layer`: one rule per (code, label, #rrggbb), then one for any other code."""
    root = ET.Element(f"{{{SLD_NS}}}StyledLayerDescriptor", {"version": "1.0.0"})
    named = _sub(root, f"{{{SLD_NS}}}NamedLayer")
    _sub(named, f"{{{SLD_NS}}}Name", layer)
    user_style = _sub(named, f"{{{SLD_NS}}}UserStyle")
    _sub(user_style, f"{{{SLD_NS}}}Name", "landuse")
    _sub(user_style, f"{{{SLD_NS}}}Title", title)
    style = _sub(user_style, f"{{{SLD_NS}}}FeatureTypeStyle")
    for code, label, colour in classes:
        _sld_rule(style, code, label, colour, code)
    _sld_rule(style, "other", other_label, UNKNOWN_COLOR, None)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _rgba(colour: str, alpha: int = 255) -> str:
    return ",".join(str(int(colour[i:i + 2], 16)) for i in (1, 3, 5)) + f",{alpha}"


def _qml_symbol(symbols: ET.Element, name: str, colour: str) -> None:
    symbol = _sub(symbols, "symbol", type="fill", name=name, alpha=f"{FILL_OPACITY:g}",
                  clip_to_extent="1", force_rhr="0")
    layer = _sub(symbol, "layer", **{"class": "SimpleFill", "enabled": "1", "locked": "0",
                                     "pass": "0"})
    properties = {"color": _rgba(colour), "outline_color": _rgba(OUTLINE),
                  "outline_style": "solid", "outline_width": "0.26",
                  "outline_width_unit": "MM", "style": "solid"}
    options = _sub(layer, "Option", type="Map")
    for key, value in properties.items():
        _sub(options, "Option", type="QString", name=key, value=value)
    for key, value in properties.items():  # the older form, read by QGIS before 3.26
        _sub(layer, "prop", k=key, v=value)


def landuse_qml(classes: list[tuple[str, str, str]], other_label: str) -> bytes:
    """A QGIS layer style (QML, symbology only): categories on land_use, one per (code, label,
    #rrggbb), and one for every other value."""
    root = ET.Element("qgis", version="3.22.0", styleCategories="Symbology")
    renderer = _sub(root, "renderer-v2", type="categorizedSymbol", attr=ATTRIBUTE,
                    symbollevels="0", enableorderby="0", forceraster="0")
    categories = _sub(renderer, "categories")
    symbols = _sub(renderer, "symbols")
    for index, (code, label, colour) in enumerate(classes):
        _sub(categories, "category", render="true", value=code, symbol=str(index), label=label,
             type="string")
        _qml_symbol(symbols, str(index), colour)
    other = str(len(classes))
    _sub(categories, "category", render="true", value="", symbol=other, label=other_label,
         type="string")
    _qml_symbol(symbols, other, UNKNOWN_COLOR)
    return b"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(
        root, encoding="utf-8")
