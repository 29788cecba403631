"""Turn validated rows into the store's parcel frame: lon/lat polygons, areas, ids, versions."""

from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd

from webapp.domain.area import compute_areas_m2
from webapp.domain.parcel import ATTRIBUTE_TYPES
from webapp.importing.rows import GoodRow


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
