"""Fill the street (街道) of parcels imported without one from the store's street-boundary
context layers: the name of the boundary polygon that holds the parcel's representative point."""

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from webapp.store.context_store import ContextStore

STREET_KIND = "street_boundary"


def street_boundaries(context: ContextStore) -> tuple[np.ndarray, np.ndarray]:
    """(polygons in lon/lat, their names) of every named feature of the street-boundary layers,
    layers by name and features by id: where boundaries overlap, the first one wins."""
    polygons, names = [], []
    for layer in context.layers():
        if layer.kind != STREET_KIND:
            continue
        for feature in context.features(layer.name).features:
            if feature.name and feature.geometry is not None and not feature.geometry.is_empty:
                polygons.append(feature.geometry)
                names.append(feature.name)
    return np.asarray(polygons, dtype=object), np.asarray(names, dtype=object)


def missing_streets(streets: pd.Series) -> np.ndarray:
    """Which parcels have no street (None, NaN or blank text)."""
    values = streets.to_numpy(dtype=object)
    return np.array([v is None or (isinstance(v, float) and v != v) or not str(v).strip()
                     for v in values], dtype=bool)


def fill_streets(parcels: gpd.GeoDataFrame, context: ContextStore) -> int:
    """Give each parcel of the lon/lat frame that has no street the name of the street boundary
    holding its representative point (shapely point_on_surface); returns how many were filled.
    Parcels outside every boundary, and all parcels when there is no boundary layer, keep none."""
    if parcels.empty or "street" not in parcels.columns:
        return 0
    missing = np.flatnonzero(missing_streets(parcels["street"]))
    if len(missing) == 0:
        return 0
    polygons, names = street_boundaries(context)
    if len(polygons) == 0:
        return 0
    points = shapely.point_on_surface(parcels.geometry.to_numpy()[missing])
    point_index, boundary_index = shapely.STRtree(polygons).query(points, predicate="within")
    if len(point_index) == 0:
        return 0
    order = np.lexsort((boundary_index, point_index))  # by point, then the first boundary
    hit, first = np.unique(point_index[order], return_index=True)
    streets = parcels["street"].to_numpy(dtype=object, copy=True)
    streets[missing[hit]] = names[boundary_index[order][first]]
    parcels["street"] = streets
    return len(hit)
