"""A page of parcels as the API writes them: public columns as stored and geometry as GeoJSON
text, read without building a Parcel (or a shapely object per parcel, where the database writes
the GeoJSON)."""

from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

import numpy as np
import shapely

from webapp.domain.parcel_schema import ATTRIBUTE_TYPES, NUMERIC_FIELDS

# The columns of a feature's properties, in the order they are written; area_mu is computed.
FEATURE_COLUMNS: tuple[str, ...] = (*ATTRIBUTE_TYPES, "area_m2", "updated_at")
GEOJSON_DECIMALS = 8  # about 1 mm in lon/lat; the store keeps what the import wrote
_NUMERIC_AT = tuple((i, kind) for i, name in enumerate(FEATURE_COLUMNS)
                    if (kind := NUMERIC_FIELDS.get(name)) is not None)
_numeric_values = itemgetter(*(i for i, _ in _NUMERIC_AT))


class FeatureRow(NamedTuple):
    """One parcel of a page: id, code, its FEATURE_COLUMNS values (typed as the Parcel fields
    of those names) and its geometry as GeoJSON text (lon/lat; None without a geometry)."""

    id: int
    code: str
    values: tuple
    geometry_json: str | None


@dataclass(frozen=True)
class FeaturePage:
    """One page of a filtered query as FeatureRows (shaped like ParcelPage: paging reads the
    same `parcels`), the match count and their area in m²."""

    parcels: list[FeatureRow]
    number_matched: int
    total_area_m2: float


def coerce_row_numbers(values: tuple) -> tuple:
    """FEATURE_COLUMNS values with numbers read as text (stores whose columns GDAL typed
    TEXT) turned back into int/float, as Parcel rows are."""
    if str not in map(type, _numeric_values(values)):  # the common case, checked in C
        return values
    fixed = list(values)
    for i, kind in _NUMERIC_AT:
        if isinstance(fixed[i], str):
            fixed[i] = kind(float(fixed[i]))
    return tuple(fixed)


def geojson_of_geometries(geometries, decimals: int = GEOJSON_DECIMALS) -> list[str | None]:
    """GeoJSON text of shapely geometries (None stays None), coordinates rounded to `decimals`
    in one vectorised pass."""
    array = np.asarray(geometries, dtype=object)
    if not len(array):
        return []
    rounded = shapely.transform(array, lambda xy: np.round(xy, decimals))
    return shapely.to_geojson(rounded).tolist()


def geojson_of_wkb(wkbs: list[bytes | None], decimals: int = GEOJSON_DECIMALS
                   ) -> list[str | None]:
    """GeoJSON text of WKB geometries (None stays None), decoded and written in one pass."""
    return geojson_of_geometries(shapely.from_wkb(np.asarray(wkbs, dtype=object)), decimals)
