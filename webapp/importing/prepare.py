"""Turn a raw parcel frame into the store's schema: lon/lat, valid polygons, typed fields, areas."""

from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd
import shapely

from webapp.domain.area import compute_areas_m2
from webapp.domain.errors import DataFileError
from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import ATTRIBUTE_TYPES, RANGES, REQUIRED_ATTRIBUTES, STATUSES

POLYGONAL = ("Polygon", "MultiPolygon")


def _reject(row: int, message: str) -> DataFileError:
    return DataFileError(f"feature {row + 1}: {message}")


def _valid_polygons(geometries: gpd.GeoSeries) -> gpd.GeoSeries:
    for row, geom in enumerate(geometries):
        if geom is None or geom.is_empty:
            raise _reject(row, "empty geometry")
        if geom.geom_type not in POLYGONAL:
            raise _reject(row, f"geometry is a {geom.geom_type}, not a polygon")
    repaired = shapely.make_valid(geometries.to_numpy())
    polygons = [shapely.multipolygons(shapely.get_parts(g)[
        shapely.get_type_id(shapely.get_parts(g)) == 3]) for g in repaired]
    for row, geom in enumerate(polygons):
        if geom.is_empty:
            raise _reject(row, "geometry has no area after repair")
    return gpd.GeoSeries(polygons, crs=geometries.crs, index=geometries.index)


def _to_lonlat(frame: gpd.GeoDataFrame) -> gpd.GeoSeries:
    if frame.crs is None:
        raise DataFileError("the file has no coordinate reference system")
    geometries = frame.geometry.to_crs(4326)
    minx, miny, maxx, maxy = geometries.total_bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise DataFileError("coordinates fall outside longitude/latitude range after "
                            f"reprojection from {frame.crs.to_string()}")
    return geometries


def _typed(value: object, kind: type, row: int, name: str) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    try:
        return kind(value) if kind is not int else int(float(value))
    except (TypeError, ValueError):
        raise _reject(row, f"{name} “{value}” is not a valid {kind.__name__}") from None


def _typed_attributes(frame: gpd.GeoDataFrame, table: LandUseTable) -> pd.DataFrame:
    records = []
    for row, raw in enumerate(frame.drop(columns="geometry").to_dict("records")):
        record = {k: _typed(raw.get(k), t, row, k) for k, t in ATTRIBUTE_TYPES.items()}
        for name in REQUIRED_ATTRIBUTES:
            if record[name] is None:
                raise _reject(row, f"missing {name}")
        found = table.find(str(record["land_use"]))
        if found is None:
            raise _reject(row, f"unknown land use “{record['land_use']}”")
        record["land_use_source"], record["land_use"] = record["land_use"], found.code
        if record["status"] not in STATUSES:
            raise _reject(row, f"unknown status “{record['status']}”")
        for low, high in RANGES:
            if None not in (record[low], record[high]) and record[low] > record[high]:
                raise _reject(row, f"{low} is larger than {high}")
        record["extra"] = {k: v for k, v in raw.items()
                           if k not in ATTRIBUTE_TYPES and k != "id" and pd.notna(v)}
        records.append(record)
    return pd.DataFrame.from_records(records)


def _check_unique_codes(codes: pd.Series) -> None:
    duplicated = codes[codes.duplicated()]
    if not duplicated.empty:
        row = int(duplicated.index[0])
        raise _reject(row, f"duplicate code “{duplicated.iloc[0]}”")


def prepare_parcels(frame: gpd.GeoDataFrame, table: LandUseTable) -> gpd.GeoDataFrame:
    """A frame in the store's parcel schema, or DataFileError naming the first bad feature."""
    frame = frame.reset_index(drop=True)
    geometries = _valid_polygons(_to_lonlat(frame))
    attributes = _typed_attributes(frame, table)
    _check_unique_codes(attributes["code"])
    prepared = gpd.GeoDataFrame(attributes, geometry=geometries.to_numpy(), crs=4326)
    prepared["area_m2"] = compute_areas_m2(prepared.geometry)
    prepared["id"] = range(1, len(prepared) + 1)
    prepared["published"] = True
    prepared["version"] = 1
    prepared["updated_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    return prepared
