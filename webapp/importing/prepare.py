"""Turn validated rows into the store's parcel frame: lon/lat polygons, areas, ids, versions."""

from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd

from webapp.domain.area import compute_areas_m2
from webapp.domain.parcel import ATTRIBUTE_TYPES
from webapp.importing.rows import ValidRows


def build_parcel_frame(rows: ValidRows, published: bool = True) -> gpd.GeoDataFrame:
    """A frame in the store's schema (EPSG:4326, area_m2, ids 1..n, version 1, updated_at)."""
    columns = [*ATTRIBUTE_TYPES, "extra", "land_use_source"]
    # Built from lists, columns get the dtypes a frame built from row records gets (object
    # when there are no rows).
    attributes = pd.DataFrame({name: rows.columns[name] for name in columns}, columns=columns,
                              dtype=None if len(rows.geometries) else object)
    frame = gpd.GeoDataFrame(attributes, geometry=rows.geometries, crs=4326)
    frame["area_m2"] = compute_areas_m2(frame.geometry)
    frame["id"] = range(1, len(frame) + 1)
    frame["published"] = published
    frame["version"] = 1
    frame["updated_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    return frame
