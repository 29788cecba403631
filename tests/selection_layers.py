"""Context layers for site-selection tests on the sample district: three expressway
interchanges east of it (as in geodata/sample/context) and a residential area inside it."""

import geopandas as gpd
import shapely

from webapp.domain.context import ContextLayer

INTERCHANGES = [("马鞍山东互通", shapely.Point(118.576117, 31.692888)),
                ("慈湖互通", shapely.Point(118.578548, 31.740888)),
                ("桃源互通", shapely.Point(118.574515, 31.659686))]
HOUSING = [("雨山新村", shapely.box(118.49, 31.70, 118.50, 31.71))]
# The requirement the page, API and browser tests state: industrial land (10: 工矿用地 and its
# sub-classes) of 20-80 亩, starting price up to 3,000 万元, within 5 km of an interchange.
REQUIREMENT = "land_use=10&area_min=20&area_max=80&budget_max=3000&near=interchanges:5000"


def frame(features: list[tuple[str, shapely.Geometry]]) -> gpd.GeoDataFrame:
    """A context layer frame (name, feature_class, lon/lat geometry)."""
    return gpd.GeoDataFrame({"name": [name for name, _ in features],
                             "feature_class": [None] * len(features)},
                            geometry=[shape for _, shape in features], crs=4326)


def add_selection_layers(store, interchanges_title: str = "高速互通",
                         interchanges=INTERCHANGES) -> None:
    """Put the interchanges (points) and housing (a polygon) layers into the store."""
    store.context.replace_layer(ContextLayer("interchanges", interchanges_title, "interchange"),
                                frame(interchanges), "test")
    store.context.replace_layer(ContextLayer("housing", "居住区", "residential"),
                                frame(HOUSING), "test")
