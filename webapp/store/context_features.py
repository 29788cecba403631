"""A context layer's features as a store receives them: checked against the layer's kind and
geometry family, measured (count, lon/lat bounds, distance CRS) and projected to that CRS, the
same for every backend."""

from dataclasses import replace
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from webapp.domain.audit import utc_now_iso
from webapp.domain.context import ContextLayer, check_layer, distance_epsg
from webapp.domain.errors import InvalidEditError
from webapp.domain.messages import N_

# shapely type ids of each geometry family (single and multi-part); a LinearRing or a
# GeometryCollection belongs to none.
FAMILY_TYPE_IDS = {"point": (0, 4), "line": (1, 5), "polygon": (3, 6)}
FAMILY_TYPES = {"point": "Point/MultiPoint", "line": "LineString/MultiLineString",
                "polygon": "Polygon/MultiPolygon"}


def checked_features(layer: ContextLayer, features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The layer's features in lon/lat with columns name, feature_class and geometry, after
    check_layer and a check of each geometry (present, non-empty, of the layer's family);
    InvalidEditError names the first bad feature (numbered from 1)."""
    check_layer(layer.name, layer.title, layer.kind)
    frame = features if features.crs is None or features.crs == "EPSG:4326" else \
        features.to_crs(4326)
    geometries = frame.geometry.to_numpy()
    missing = shapely.is_missing(geometries) | shapely.is_empty(geometries)
    if missing.any():
        row = int(np.argmax(missing)) + 1
        raise InvalidEditError({"geometry": (N_("feature %(row)s has no geometry"),
                                             {"row": row})})
    type_ids = shapely.get_type_id(geometries)
    wrong = ~np.isin(type_ids, FAMILY_TYPE_IDS[layer.family])
    if wrong.any():
        row = int(np.argmax(wrong)) + 1
        raise InvalidEditError({"geometry": (
            N_("feature %(row)s is a %(found)s; a layer of kind “%(kind)s” holds %(expected)s"),
            {"row": row, "found": geometries[row - 1].geom_type, "kind": layer.kind,
             "expected": FAMILY_TYPES[layer.family]})})
    return gpd.GeoDataFrame({"name": _text(frame, "name"),
                             "feature_class": _text(frame, "feature_class")},
                            geometry=geometries, crs=4326)


def _text(frame: gpd.GeoDataFrame, column: str) -> list[str | None]:
    if column not in frame:
        return [None] * len(frame)
    return [None if pd.isna(value) or str(value) == "" else str(value)
            for value in frame[column].tolist()]


def stored_layer(layer: ContextLayer, features: gpd.GeoDataFrame, actor: str) -> ContextLayer:
    """The layer as a store records it for these (checked) features: count, lon/lat bounds,
    distance CRS of the bounds' centre (None for an empty layer), imported now (UTC) by actor."""
    bounds = None
    epsg = None
    if len(features):
        minx, miny, maxx, maxy = (float(v) for v in features.total_bounds)
        bounds = (minx, miny, maxx, maxy)
        epsg = distance_epsg((minx + maxx) / 2)
    return replace(layer, feature_count=len(features), bounds=bounds, distance_epsg=epsg,
                   imported_at=utc_now_iso(), imported_by=actor)


@cache
def lonlat_to(epsg: int) -> Transformer:
    """The (thread-safe) transformer from lon/lat to a projected CRS, x = easting."""
    return Transformer.from_crs(4326, epsg, always_xy=True)


def projected(geometries_4326: np.ndarray, epsg: int) -> np.ndarray:
    """Lon/lat geometries in the projected CRS epsg (metres)."""
    transformer = lonlat_to(epsg)

    def project(lonlat: np.ndarray) -> np.ndarray:
        return np.column_stack(transformer.transform(lonlat[:, 0], lonlat[:, 1]))

    return shapely.transform(np.asarray(geometries_4326, dtype=object), project)
