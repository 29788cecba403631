"""build_tile_map without Flask: a map with no parcel data whose attributes match the MVT."""

import pytest

from webapp.maps.parcel_map import Basemap, MapOptions, render_map_parts
from webapp.maps.tile_map import TileSource, build_tile_map, detail_min_zoom, tile_layer_options
from webapp.tiles.mvt import ATTRIBUTES, LAYER

SOURCE = TileSource(tile_url="/tiles/{z}/{y}/{x}?land_use=1001", item_url="/items/__ID__",
                    items_url="/items?land_use=1001")
OPTIONS = MapOptions(colors={"1001": "#aaaaaa"}, legend=[("#aaaaaa", "1001 工业用地")],
                     texts={"legend": "土地用途"}, parcel_url="/parcels/__CODE__",
                     bounds=(118.5, 31.7, 118.6, 31.8))


def test_tile_source_names_what_the_tiles_carry():
    assert SOURCE.layer == LAYER
    assert {SOURCE.id_attribute, SOURCE.land_use_attribute} <= set(ATTRIBUTES)


def test_tile_layer_options_bounds_are_lat_lon():
    assert tile_layer_options(OPTIONS, SOURCE)["bounds"] == [[31.7, 118.5], [31.8, 118.6]]


@pytest.mark.parametrize("basemap", [None, Basemap("https://t.example/{z}/{x}/{y}.png", "©")])
def test_build_tile_map_renders_tile_layer_and_legend(basemap):
    parts = render_map_parts(build_tile_map(basemap, OPTIONS, SOURCE))
    assert 'landgis.addTileLayer(map_parcels, "map_parcels-tiles")' in parts.script
    assert 'landgis.addLegend(map_parcels, "map_parcels-legend")' in parts.script
    assert "Leaflet.VectorGrid.bundled.min.js" in parts.header
    islands = {island.id: island.data for island in parts.islands}
    assert islands["map_parcels-tiles"]["tileUrl"] == "/tiles/{z}/{y}/{x}?land_use=1001"
    assert "/tiles/" not in parts.script  # options reach the page as data, not as code


HUASHAN_100K = (118.274, 31.499, 118.746, 31.899)  # 100 000 parcels on a 140 m grid


@pytest.mark.parametrize(("count", "bounds", "expected"), [
    (360, (118.4, 31.6, 118.6, 31.8), 0),
    (100_000, None, 0),
    (100_000, HUASHAN_100K, 12),
    (1_000_000, (118.0, 31.07, 119.5, 32.33), 12),
    (100_000, (118.5, 31.7, 118.5001, 31.7001), 14),
])
def test_detail_min_zoom_keeps_tiles_light(count, bounds, expected):
    assert detail_min_zoom(count, bounds) == expected
