"""A page's GeoPackage rows as a FeaturePage: columns as read, geometry blobs → GeoJSON text in
one vectorised pass (no Parcel, no shapely object kept per row)."""

from webapp.store.feature_page import (
    FEATURE_COLUMNS,
    FeaturePage,
    FeatureRow,
    coerce_row_numbers,
    geojson_of_wkb,
)
from webapp.store.geopackage.blob import wkb_from_gpkg_blob

# fid, the feature columns, then the geometry blob; code is one of the feature columns.
FEATURE_SELECT = ", ".join(["fid", *FEATURE_COLUMNS, "geom"])
_CODE_AT = 1 + FEATURE_COLUMNS.index("code")


def _wkb_or_none(blob: bytes | None) -> bytes | None:
    if blob is None or (blob[3] >> 4) & 1:  # NULL or the empty-geometry flag
        return None
    return wkb_from_gpkg_blob(blob)


def feature_page_of_rows(rows: list[tuple], number_matched: int, total_area_m2: float,
                         decimals: int) -> FeaturePage:
    """The FeaturePage of rows selected as FEATURE_SELECT."""
    geometries = geojson_of_wkb([_wkb_or_none(row[-1]) for row in rows], decimals)
    return FeaturePage(parcels=[FeatureRow(row[0], row[_CODE_AT], coerce_row_numbers(row[1:-1]),
                                           geometry)
                                for row, geometry in zip(rows, geometries, strict=True)],
                       number_matched=number_matched, total_area_m2=total_area_m2)
