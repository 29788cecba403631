"""Context layers on a folium map (no Flask): styles per kind, the island, the legend section,
drawing order, local assets, and maps without context layers left as they were."""

import pytest
import shapely

from tests.hostile import HOSTILE, hostile_items
from webapp.domain.context import CONTEXT_KINDS, ContextLayer
from webapp.domain.parcel import Parcel
from webapp.maps.assets import is_site_relative
from webapp.maps.context_layers import ContextMap, context_style, swatch_shape
from webapp.maps.parcel_map import MapOptions, build_parcel_map, render_map_parts
from webapp.maps.tile_map import TileSource, build_tile_map

TILE_URL = "/api/context/tiles/WebMercatorQuad/{z}/{y}/{x}"
LAYERS = (ContextLayer("stations", "车站", "station", 1, (118.52, 31.71, 118.52, 31.71)),
          ContextLayer("g205", "205国道", "national_road", 2, (118.49, 31.69, 118.53, 31.72)),
          ContextLayer("streets", "街道界线", "street_boundary", 1, (118.48, 31.68, 118.54, 31.73)))
PARCEL = Parcel(id=1, code="T-1", land_use="100101", status="available", area_m2=10_000.0,
                geometry=shapely.box(118.5, 31.7, 118.501, 31.701))


def context(language: str = "zh", layers=LAYERS) -> ContextMap:
    return ContextMap(layers=layers, tile_url=TILE_URL, language=language,
                      texts={"legend": "周边", "control": "图层"})


def options(context_map: ContextMap | None) -> MapOptions:
    return MapOptions(colors={"100101": "#aaaaaa"}, legend=[("#aaaaaa", "100101 一类工业用地")],
                      texts={"legend": "土地用途", "landUses": {}}, parcel_url="/parcels/__CODE__",
                      bounds=(118.5, 31.7, 118.501, 31.701), context=context_map)


def islands_of(m) -> dict:
    return {island.id: island.data for island in render_map_parts(m).islands}


@pytest.mark.parametrize("key", list(CONTEXT_KINDS))
def test_every_kind_has_a_style_in_its_colour(key):
    kind = CONTEXT_KINDS[key]
    style = context_style(kind)
    assert kind.colour in (style["color"], style.get("fillColor"))
    assert ("radius" in style) == (kind.family == "point")


def test_lines_are_not_filled_and_points_are():
    assert context_style(CONTEXT_KINDS["expressway"])["fill"] is False
    assert context_style(CONTEXT_KINDS["interchange"])["fill"] is True


def test_street_boundary_is_a_dashed_outline():
    style = context_style(CONTEXT_KINDS["street_boundary"])
    assert style["fill"] is False and style["dashArray"]


def test_island_lists_layers_areas_first_then_lines_then_points():
    entries = context().island()["layers"]
    assert [e["name"] for e in entries] == ["streets", "g205", "stations"]
    assert entries[1] == {"name": "g205", "title": "205国道", "kind": "national_road",
                          "family": "line", "label": "国道", "swatch": "line",
                          "color": "#f08c00",
                          "style": context_style(CONTEXT_KINDS["national_road"])}


@pytest.mark.parametrize("key, shape", [("interchange", "point"), ("road", "line"),
                                        ("park", "area"), ("street_boundary", "outline")])
def test_swatch_is_drawn_as_the_kind_is(key, shape):
    assert swatch_shape(CONTEXT_KINDS[key]) == shape


def test_island_bounds_cover_every_layer_as_lat_lon():
    assert context().island()["bounds"] == [[31.68, 118.48], [31.73, 118.54]]


def test_island_tiles_are_the_combined_context_tiles():
    island = context().island()
    assert (island["tileUrl"], island["tileLayer"]) == (TILE_URL, "context")


@pytest.mark.parametrize("language, label", [("zh", "国道"), ("en", "National road")])
def test_legend_section_labels_kinds_in_the_ui_language(language, label):
    items = context(language).legend()["items"]
    assert items[1] == {"color": "#f08c00", "swatch": "line", "label": label,
                        "title": "205国道"}


def test_parcel_map_draws_context_before_the_parcels():
    found = list(islands_of(build_parcel_map([PARCEL], None, options(context()))))
    assert found == ["map_parcels-context", "map_parcels-parcels", "map_parcels-legend",
                     "map_parcels-controls"]


def test_parcel_map_legend_gets_the_context_section():
    legend = islands_of(build_parcel_map([PARCEL], None, options(context())))["map_parcels-legend"]
    assert legend["context"] == context().legend()


def test_tile_map_draws_context_before_the_parcel_tiles():
    source = TileSource(tile_url="/t/{z}/{y}/{x}", item_url="/i/__ID__", items_url="/i")
    found = list(islands_of(build_tile_map(None, options(context()), source)))
    assert found[:2] == ["map_parcels-context", "map_parcels-tiles"]


@pytest.mark.parametrize("context_map", [None, context(layers=())])
def test_map_without_context_layers_is_unchanged(context_map):
    with_context = render_map_parts(build_parcel_map([PARCEL], None, options(context_map)))
    without = render_map_parts(build_parcel_map([PARCEL], None, options(None)))
    # (folium names its controls with random ids, so the scripts differ in those only)
    assert (with_context.header, with_context.islands) == (without.header, without.islands)
    assert "addContextLayers" not in with_context.script
    assert "context-layers.js" not in with_context.header
    assert "context" not in {i.id: i.data for i in with_context.islands}["map_parcels-legend"]


def test_context_assets_are_served_by_the_site():
    header = render_map_parts(build_parcel_map([PARCEL], None, options(context()))).header
    assert '/static/landgis/context-layers.js' in header
    assert '/static/landgis/context.css' in header
    assert "Leaflet.VectorGrid.bundled.min.js" in header
    sources = [part.split('"')[1] for part in header.split('src=')[1:]]
    assert sources and all(is_site_relative(url) for url in sources)


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=list(HOSTILE))
def test_hostile_layer_title_stays_in_the_island(key, text):
    layer = ContextLayer("hostile", text[:80], "park", 1, (118.5, 31.7, 118.6, 31.8))
    parts = render_map_parts(build_parcel_map([PARCEL], None, options(context(layers=(layer,)))))
    assert text[:80] not in parts.script + parts.header + parts.html
    islands = {island.id: island.data for island in parts.islands}
    assert islands["map_parcels-context"]["layers"][0]["title"] == text[:80]
