"""The import preview's map of a file's incoming parcels (pure: no Flask).

At most MAX_IMPORT_SHAPES parcels are drawn, repaired ones first, each simplified to about a
metre: a preview page stays small whatever the file's size, and says how many it left out.
"""

from dataclasses import dataclass
from typing import ClassVar

import geopandas as gpd
import numpy as np
import shapely

from webapp.maps.assets import localise_map_assets
from webapp.maps.controls import LANDGIS_JS, IslandElement, MapControls
from webapp.maps.features import COORDINATE_DECIMALS
from webapp.maps.parcel_map import Basemap, RenderedMap, base_map, render_map_parts

MAX_IMPORT_SHAPES = 2000
SIMPLIFY_DEGREES = 1e-5  # about a metre: invisible at the zooms a preview shows
IMPORT_JS = ("landgis_import_map_js", "/static/landgis/import-map.js")
MAP_ID = "incoming"


class ImportLayer(IslandElement):
    """The incoming parcels, repaired ones highlighted (static/landgis/import-map.js)."""

    default_js: ClassVar[list[tuple[str, str]]] = [LANDGIS_JS, IMPORT_JS]
    function = "addImportLayer"

    def __init__(self, island_id: str, feature_collection: dict, options: dict) -> None:
        super().__init__(island_id, {"data": feature_collection, "options": options})


@dataclass(frozen=True)
class ImportMap:
    """The rendered map, how many parcels it draws and how many the file holds."""

    rendered: RenderedMap
    shown: int
    total: int


def incoming_features(parcels: gpd.GeoDataFrame, repaired: set[str],
                      limit: int = MAX_IMPORT_SHAPES) -> dict:
    """A FeatureCollection of at most `limit` parcels (repaired codes first), simplified and
    rounded; properties: code, area in m² (`m2`) and whether it was repaired (`r`)."""
    is_repaired = parcels["code"].isin(repaired).to_numpy()
    order = np.concatenate([np.flatnonzero(is_repaired), np.flatnonzero(~is_repaired)])[:limit]
    chosen = parcels.iloc[order]
    shapes = shapely.simplify(chosen.geometry.to_numpy(), SIMPLIFY_DEGREES, preserve_topology=True)
    shapes = shapely.set_precision(shapes, 10.0 ** -COORDINATE_DECIMALS)
    features = [{"type": "Feature", "id": int(i), "geometry": shapely.geometry.mapping(shape),
                 "properties": {"code": str(code), "m2": round(float(area), 2), "r": bool(r)}}
                for i, (shape, code, area, r) in enumerate(zip(
                    shapes, chosen["code"], chosen["area_m2"], is_repaired[order], strict=True))
                if shape is not None and not shapely.is_empty(shape)]
    return {"type": "FeatureCollection", "features": features}


def build_import_map(parcels: gpd.GeoDataFrame, repaired: set[str], basemap: Basemap | None,
                     texts: dict, limit: int = MAX_IMPORT_SHAPES) -> ImportMap:
    """The rendered preview map of a planned import's lon/lat frame; texts: `m2`, `mu`,
    `repaired` and the map controls' texts (`controls`)."""
    minx, miny, maxx, maxy = (float(v) for v in parcels.total_bounds)
    m = base_map(basemap, (minx, miny, maxx, maxy), MAP_ID)
    features = incoming_features(parcels, repaired, limit)
    options = {"bounds": [[miny, minx], [maxy, maxx]],
               "texts": {k: v for k, v in texts.items() if k != "controls"}}
    ImportLayer(f"{m.get_name()}-parcels", features, options).add_to(m)
    MapControls(f"{m.get_name()}-controls", dict(texts.get("controls") or {}), False).add_to(m)
    localise_map_assets(m)
    return ImportMap(render_map_parts(m), len(features["features"]), len(parcels))
