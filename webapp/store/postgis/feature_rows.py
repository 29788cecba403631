"""A page's PostGIS rows as a FeaturePage: the database writes each geometry's GeoJSON
(ST_AsGeoJSON), Python only collects the columns."""

from webapp.store.feature_page import FEATURE_COLUMNS, FeaturePage, FeatureRow

# id, the feature columns, then the GeoJSON text (decimals as the first parameter, options 0:
# no bbox, no crs member); code is one of the feature columns.
FEATURE_SELECT = ", ".join(["id", *FEATURE_COLUMNS, "ST_AsGeoJSON(geom, %s, 0)"])
_CODE_AT = 1 + FEATURE_COLUMNS.index("code")


def feature_page_of_rows(rows: list[tuple], number_matched: int, total_area_m2: float
                         ) -> FeaturePage:
    """The FeaturePage of rows selected as FEATURE_SELECT."""
    return FeaturePage(parcels=[FeatureRow(row[0], row[_CODE_AT], row[1:-1], row[-1])
                                for row in rows],
                       number_matched=number_matched, total_area_m2=total_area_m2)
