"""Map styles for GIS clients: the MapLibre style (validated by the style spec's own CLI), its
links from TileJSON and the collection, SLD and QML downloads, and the shared palette."""

import json
import os
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.hostile import EVALUATED_MARKERS
from webapp.domain.landuse import load_landuse_table

REPO_ROOT = Path(__file__).resolve().parents[2]
VALIDATE = REPO_ROOT / "node_modules" / ".bin" / "gl-style-validate"
STYLE = "/api/styles/landuse"
SLD_URL = "/api/collections/parcels/styles/landuse.sld"
QML_URL = "/api/collections/parcels/styles/landuse.qml"
SLD_NS = {"sld": "http://www.opengis.net/sld", "ogc": "http://www.opengis.net/ogc"}


def fill_colours(style: dict) -> dict[str, str]:
    """Land-use code → colour of the parcels' fill `match` expression."""
    layer = next(layer for layer in style["layers"] if layer["id"] == "parcels-fill")
    expression = layer["paint"]["fill-color"]
    assert expression[:2] == ["match", ["get", "land_use"]]
    pairs = expression[2:-1]
    return {label[0]: colour for label, colour in zip(pairs[::2], pairs[1::2], strict=True)}


def test_style_is_valid_against_the_maplibre_style_spec(client, tmp_path):
    if not (VALIDATE.exists() and shutil.which("node")):
        if os.environ.get("CI"):
            pytest.fail("gl-style-validate is missing: run `npm ci` (package.json)")
        pytest.skip("gl-style-validate is missing: run `npm ci`")
    path = tmp_path / "style.json"
    path.write_bytes(client.get(STYLE).data)
    result = subprocess.run([str(VALIDATE), str(path)], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_style_colours_every_land_use_as_the_web_map_does(client):
    table = load_landuse_table()
    colours = fill_colours(client.get(STYLE).json)
    assert colours == {c.code: table.color(c.code) for c in table.classes()}


def test_style_tile_urls_are_absolute_templates(client):
    sources = client.get(STYLE).json["sources"]
    assert sources["parcels"]["tiles"] == [
        "http://localhost/api/collections/parcels/tiles/WebMercatorQuad/{z}/{y}/{x}"]
    assert sources["context"]["tiles"][0].startswith("http://localhost/api/context/tiles/")


def test_style_draws_context_under_parcels_by_kind(client):
    layers = client.get(STYLE).json["layers"]
    ids = [layer["id"] for layer in layers]
    assert ids.index("context-lines") < ids.index("parcels-fill")
    line = next(layer for layer in layers if layer["id"] == "context-lines")
    assert line["paint"]["line-color"][:2] == ["match", ["get", "kind"]]
    assert ["expressway"] in line["paint"]["line-color"]


def test_style_is_served_as_a_mapbox_style(client):
    assert client.get(STYLE).content_type == "application/vnd.mapbox.style+json"


@pytest.mark.parametrize("path", ["/api/collections/parcels/tiles/WebMercatorQuad/tilejson.json",
                                  "/api/collections/parcels/tiles/WebMercatorQuad",
                                  "/api/collections/parcels"])
def test_tiles_and_collection_link_the_style(client, path):
    links = client.get(path).json["links"]
    assert {"href": "http://localhost" + STYLE, "rel": "stylesheet",
            "type": "application/vnd.mapbox.style+json",
            "title": "MapLibre / Mapbox GL style"} in links


def test_collection_links_its_styles_list(client):
    links = client.get("/api/collections/parcels").json["links"]
    styles = [link for link in links if link["rel"].endswith("/rel/ogc/1.0/styles")]
    assert styles and client.get(styles[0]["href"]).json["styles"][0]["id"] == "landuse"


def test_sld_has_a_rule_per_district_land_use_with_the_palette(client):
    response = client.get(SLD_URL)
    root = ET.fromstring(response.data)
    rules = root.findall(".//sld:Rule", SLD_NS)
    table = load_landuse_table()
    found = {rule.findtext("ogc:Filter/ogc:PropertyIsEqualTo/ogc:Literal", None, SLD_NS):
             rule.findtext("sld:PolygonSymbolizer/sld:Fill/sld:CssParameter", None, SLD_NS)
             for rule in rules}
    assert found == {"0901": table.color("0901"), "100101": table.color("100101"),
                     "110101": table.color("110101"), "1401": table.color("1401"),
                     None: "#9e9e9e"}
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_qml_has_a_category_per_district_land_use(client):
    root = ET.fromstring(client.get(QML_URL + "?lang=en").data.split(b"\n", 1)[1])
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "land_use"
    labels = [c.get("label") for c in renderer.iter("category")]
    assert labels[0] == "0901 Commercial land" and labels[-1] == "Other land use"
    colour = renderer.find("symbols/symbol[@name='0']/layer/Option/Option[@name='color']")
    assert colour.get("value") == "255,0,0,255"  # 0901 keeps the standard's red


@pytest.mark.parametrize("path", [STYLE, SLD_URL, QML_URL, "/api/styles"])
def test_style_routes_refuse_unknown_parameters(client, path):
    response = client.get(path + "?colour=red")
    assert response.status_code == 400 and "colour" in response.json["description"]


def test_styles_escape_hostile_district_names(tmp_path):
    from tests.conftest import DATA, make_app

    name = "</Title><script>x</script>{{ 7*7 }}X{{ 7*7 }}Y\"'&"
    client = make_app(tmp_path, DATA / "small.geojson", DISTRICT_NAME=name).test_client()
    assert client.get(STYLE).json["name"].startswith(name)
    title = ET.fromstring(client.get(SLD_URL).data).findtext(".//sld:UserStyle/sld:Title",
                                                            None, SLD_NS)
    assert title.startswith(name) and not any(m in title for m in EVALUATED_MARKERS)


def test_palette_gives_commercial_sub_classes_distinct_shades_of_red():
    table = load_landuse_table()
    colours = [table.color(code) for code in ("0901", "0902", "0903", "0904")]
    assert colours[0] == "#ff0000" and len(set(colours)) == 4
    assert all(c.startswith("#") and int(c[1:3], 16) > int(c[3:5], 16) for c in colours)


def test_palette_shades_never_reuse_a_standard_colour():
    table = load_landuse_table()
    standard = {c.color for c in table.classes()}
    shaded = [c.code for c in table.classes() if table.color(c.code) != c.color]
    assert shaded and not {table.color(code) for code in shaded} & standard
    assert len({table.color(code) for code in shaded}) == len(shaded)


def test_web_map_legend_uses_the_palette(client):
    html = client.get("/").get_data(as_text=True)
    island = html.split('id="map_parcels-parcels">', 1)[1].split("</script>", 1)[0]
    assert json.loads(island)["options"]["colors"]["0901"] == load_landuse_table().color("0901")
