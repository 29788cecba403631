"""Parcel rows between PostGIS and Python: prepared frames → COPY rows, SELECT rows → Parcel."""


import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from psycopg.types.json import Jsonb

from webapp.domain.parcel import Parcel
from webapp.domain.parcel_schema import PARCEL_FIELDS, Kind
from webapp.store.plain_values import plain_value
from webapp.store.postgis.schema import SRID
from webapp.store.tables import PARCEL_COLUMNS

COLUMNS = list(PARCEL_COLUMNS)
SELECT_COLUMNS = ", ".join(["id", *COLUMNS])
COPY_CHUNK = 50_000
POLYGON_TYPE_ID = 3  # shapely type id of Polygon
INTEGER_COLUMNS = ["id", *(f.name for f in PARCEL_FIELDS if f.kind is Kind.INTEGER)]


def multipolygons(geometries) -> np.ndarray:
    """Lon/lat geometries as MultiPolygons (the column type), None kept."""
    geometries = np.asarray(geometries, dtype=object)
    polygon = shapely.get_type_id(geometries) == POLYGON_TYPE_ID
    if polygon.any():
        geometries = geometries.copy()
        geometries[polygon] = shapely.multipolygons(geometries[polygon],
                                                    indices=np.arange(int(polygon.sum())))
    return geometries


def wkb_of(geometries) -> list[bytes | None]:
    """Little-endian WKB of MultiPolygons (what ST_AsBinary(geom, 'NDR') returns)."""
    return shapely.to_wkb(multipolygons(geometries), byte_order=1).tolist()


def ewkb_hex_of(geometries) -> list[str | None]:
    """Hex EWKB with SRID 4326, the text form COPY accepts for a geometry column."""
    with_srid = shapely.set_srid(multipolygons(geometries), SRID)
    return shapely.to_wkb(with_srid, hex=True, include_srid=True).tolist()


def _column_values(series: pd.Series) -> list:
    """A column as values psycopg can send; numbers and booleans converted in bulk."""
    if series.dtype.kind in "fiub":
        return series.astype(object).where(series.notna(), None).tolist()
    return [plain_value(v) for v in series.tolist()]


def copy_rows(parcels: gpd.GeoDataFrame, kept: dict[str, tuple[int, str]] | None = None):
    """Rows (id, *COLUMNS, geom) of a prepared frame (a chunk of COPY_CHUNK parcels at most: a
    million rows of Python values at once took gigabytes), ready for COPY ... FROM STDIN.

    `kept` gives (version, updated_at) by code for parcels that stay, so an import rewrites
    afterwards only the rows it changed.
    """
    columns = {name: _column_values(parcels[name]) for name in ["id", *COLUMNS]}
    for i, code in enumerate(columns["code"]):
        if kept and code in kept:
            columns["version"][i], columns["updated_at"][i] = kept[code]
    for name in INTEGER_COLUMNS:
        columns[name] = [None if v is None else int(v) for v in columns[name]]
    columns["published"] = [int(bool(v)) for v in columns["published"]]
    columns["extra"] = [Jsonb(v or {}) for v in parcels["extra"].tolist()]
    columns["version"] = [v or 1 for v in columns["version"]]
    columns["geom"] = ewkb_hex_of(parcels.geometry.to_numpy())
    return zip(*columns.values(), strict=True)


def parcel_from_row(row: tuple) -> Parcel:
    """A Parcel from (id, *COLUMNS, wkb) as selected from the parcel table."""
    values = dict(zip(COLUMNS, row[1:-1], strict=True))
    values["extra"] = values["extra"] or {}
    values["published"] = bool(values["published"])
    geometry = shapely.from_wkb(bytes(row[-1])) if row[-1] is not None else None
    return Parcel(id=row[0], geometry=geometry, **values)
