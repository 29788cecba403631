"""JSON data islands and the folium elements that read them (no Flask)."""

import json

import pytest
import shapely

from tests.hostile import HOSTILE, hostile_items
from webapp.domain.parcel import Parcel
from webapp.maps.islands import DataIsland, island_json
from webapp.maps.parcel_map import MapOptions, build_parcel_map, render_map_parts

UNSAFE = "<>&'\u2028\u2029"


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=list(HOSTILE))
def test_island_json_parses_back_to_the_same_text(key, text):
    assert json.loads(str(island_json({"name": text, "list": [text]}))) == {
        "name": text, "list": [text]}


@pytest.mark.parametrize("character", list(UNSAFE))
def test_island_json_escapes_html_unsafe_character(character):
    rendered = str(island_json(f"a{character}b"))
    assert character not in rendered
    assert rendered == f'"a\\u{ord(character):04x}b"'


def test_island_json_cannot_close_its_element():
    rendered = str(island_json(HOSTILE["script_close"] + "<!--"))
    assert "</" not in rendered and "<!--" not in rendered


def test_island_json_keeps_chinese_readable():
    assert str(island_json("正常")) == '"正常"'


def test_island_json_refuses_nan():
    with pytest.raises(ValueError):
        island_json(float("nan"))


@pytest.mark.parametrize("bad_id", ["", "Map", "a b", 'a"b', "a</script>", "{{x}}", "x" * 65])
def test_data_island_id_must_be_a_plain_name(bad_id):
    with pytest.raises(ValueError, match="data island id"):
        DataIsland(bad_id, {})


def hostile_parcel(text: str) -> Parcel:
    return Parcel(id=1, code=text[:200], name=text, land_use="100101", status="available",
                  area_m2=10_000.0,
                  street=text, location=text, contact=text, note=text,
                  geometry=shapely.box(118.5, 31.7, 118.501, 31.701))


def hostile_options(text: str) -> MapOptions:
    return MapOptions(colors={"100101": "#aaaaaa"}, legend=[("#aaaaaa", text)],
                      texts={"legend": text, "landUses": {"100101": text}},
                      parcel_url="/parcels/__CODE__", bounds=(118.5, 31.7, 118.501, 31.701))


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=list(HOSTILE))
def test_parcel_map_script_holds_no_data(key, text):
    parts = render_map_parts(build_parcel_map([hostile_parcel(text)], None, hostile_options(text)))
    assert text not in parts.script and text not in parts.header and text not in parts.html
    assert 'landgis.addParcelLayer(map_parcels, "map_parcels-parcels")' in parts.script
    islands = {island.id: island.data for island in parts.islands}
    assert islands["map_parcels-parcels"]["data"]["features"][0]["properties"]["name"] == text
    assert islands["map_parcels-legend"] == {"items": [{"color": "#aaaaaa", "label": text}],
                                            "title": text}


def test_rendered_map_header_has_no_inline_script():
    parts = render_map_parts(build_parcel_map([hostile_parcel("x")], None, hostile_options("x")))
    assert "L_NO_TOUCH" not in parts.header
    assert "<script src=" in parts.header
