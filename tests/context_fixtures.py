"""Small hand-made context layers around a district, written with store.context.replace_layer:
a national road and an expressway (lines), interchanges and a station (points), the river and
a street boundary (polygons). Tests of the API and the maps build on them."""

import geopandas as gpd
from shapely.geometry import LineString, Point, Polygon, box

from webapp.domain.context import ContextLayer

MARGIN_DEG = 0.004  # about 400 m around the district


def context_frames(bounds: tuple[float, float, float, float]
                   ) -> list[tuple[ContextLayer, gpd.GeoDataFrame]]:
    """Layers and their features (EPSG:4326), laid out around a district's lon/lat bounds."""
    west, south, east, north = bounds
    mid_x, mid_y = (west + east) / 2, (south + north) / 2
    m = MARGIN_DEG

    def frame(names, classes, geometries):
        return gpd.GeoDataFrame({"name": names, "feature_class": classes},
                                geometry=geometries, crs=4326)

    return [
        (ContextLayer("g205", "205国道", "national_road"), frame(
            ["G205", None], ["national", "national"],
            [LineString([(west - m, mid_y), (east + m, mid_y)]),
             LineString([(mid_x, south - m), (mid_x, north + m)])])),
        (ContextLayer("expressway", "宁芜高速", "expressway"), frame(
            ["宁芜高速"], ["expressway"],
            [LineString([(west - m, north + m / 2), (east + m, south - m / 2)])])),
        (ContextLayer("interchanges", "高速互通", "interchange"), frame(
            ["马鞍山东互通", "花山互通"], [None, None],
            [Point(west - m / 2, north + m / 4), Point(east + m / 2, south - m / 4)])),
        (ContextLayer("stations", "车站", "station"), frame(
            ["马鞍山东站"], ["railway"], [Point(mid_x + m / 3, north + m / 2)])),
        (ContextLayer("yangtze", "长江", "river"), frame(
            ["长江"], [None], [box(west - 2 * m, south - 2 * m, west - m, north + 2 * m)])),
        (ContextLayer("streets", "街道界线", "street_boundary"), frame(
            ["金家庄街道"], [None],
            [Polygon([(west - m / 2, south - m / 2), (east + m / 2, south - m / 2),
                      (east + m / 2, north + m / 2), (west - m / 2, north + m / 2)])])),
    ]


def add_context_layers(store) -> list[ContextLayer]:
    """Write the hand-made layers around the store's parcels; returns them as stored."""
    return [store.context.replace_layer(layer, features, "tests")
            for layer, features in context_frames(store.bounds())]


def add_hostile_layers(store) -> list[ContextLayer]:
    """One station layer per hostile-corpus string (tests.hostile): the string as the layer's
    title (cut to its 80 characters) and as its one feature's name and class, the points 10 m
    apart just north of the district; layer names h00, h01..."""
    from tests.hostile import HOSTILE

    west, _, _, north = store.bounds()
    layers = []
    for index, text in enumerate(HOSTILE.values()):
        features = gpd.GeoDataFrame({"name": [text], "feature_class": [text]}, crs=4326,
                                    geometry=[Point(west + index * 1e-4, north + 1e-3)])
        layers.append(store.context.replace_layer(
            ContextLayer(f"h{index:02d}", text[:80], "station"), features, "tests"))
    return layers
