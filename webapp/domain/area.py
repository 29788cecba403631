"""Parcel areas in m², from an equal-area projection centred on the data, never in degrees."""

import geopandas as gpd
import numpy as np
from pyproj import CRS


def equal_area_crs(geometries_4326: gpd.GeoSeries) -> CRS:
    """Lambert azimuthal equal-area CRS centred on the geometries' bounding box (lon/lat input)."""
    minx, miny, maxx, maxy = geometries_4326.total_bounds
    lon, lat = (minx + maxx) / 2, (miny + maxy) / 2
    return CRS.from_proj4(f"+proj=laea +lat_0={lat:.6f} +lon_0={lon:.6f} +ellps=GRS80 +units=m")


def compute_areas_m2(geometries: gpd.GeoSeries) -> np.ndarray:
    """Area of each geometry in m²; the series must carry a CRS (any, projected or geographic)."""
    if geometries.crs is None:
        raise ValueError("geometries have no CRS; cannot compute areas")
    if len(geometries) == 0:
        return np.zeros(0)
    lonlat = geometries.to_crs(4326)
    projected = lonlat.to_crs(equal_area_crs(lonlat))
    return projected.area.to_numpy()
