"""Turn validated rows into the store's parcel frame: lon/lat polygons, areas, ids, versions."""

from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd

from webapp.domain.area import compute_areas_m2
from webapp.domain.errors import DataFileError
from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import ATTRIBUTE_TYPES
from webapp.importing.fields import resolve_mapping
from webapp.importing.report import REJECTED
from webapp.importing.rows import GoodRow, validate_rows


def build_parcel_frame(rows: list[GoodRow], published: bool = True) -> gpd.GeoDataFrame:
    """A frame in the store's schema (EPSG:4326, area_m2, ids 1..n, version 1, updated_at)."""
    columns = [*ATTRIBUTE_TYPES, "extra", "land_use_source"]
    attributes = pd.DataFrame.from_records([r.attributes for r in rows], columns=columns)
    frame = gpd.GeoDataFrame(attributes, geometry=[r.geometry for r in rows], crs=4326)
    frame["area_m2"] = compute_areas_m2(frame.geometry)
    frame["id"] = range(1, len(frame) + 1)
    frame["published"] = published
    frame["version"] = 1
    frame["updated_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    return frame


def to_lonlat(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame in EPSG:4326, or DataFileError when it has no CRS or leaves lon/lat range."""
    if frame.crs is None:
        raise DataFileError("the file has no coordinate reference system")
    lonlat = frame.to_crs(4326)
    minx, miny, maxx, maxy = lonlat.total_bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise DataFileError("coordinates fall outside longitude/latitude range after "
                            f"reprojection from {frame.crs.to_string()}")
    return lonlat


def prepare_parcels(frame: gpd.GeoDataFrame, table: LandUseTable) -> gpd.GeoDataFrame:
    """Strict preparation of an in-memory frame: the first rejected feature raises DataFileError."""
    frame = to_lonlat(frame.reset_index(drop=True))
    mapping = resolve_mapping([c for c in frame.columns if c != "geometry"], None)
    good, outcomes = validate_rows(frame, mapping, table)
    rejected = [o for o in outcomes if o.outcome == REJECTED]
    if rejected:
        raise DataFileError(f"feature {rejected[0].row}: {rejected[0].message}")
    if not good:
        raise DataFileError("the file holds no parcels")
    return build_parcel_frame(good)
