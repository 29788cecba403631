"""Items pages written fast: properties from the store's columns, geometry from the GeoJSON text
the store wrote (orjson fragments), no Parcel or shapely object per feature."""

import orjson

from webapp.domain.parcel import ATTRIBUTE_TYPES
from webapp.domain.units import m2_to_mu
from webapp.store.feature_page import FEATURE_COLUMNS, FeaturePage, FeatureRow

_NAMES = tuple(ATTRIBUTE_TYPES)  # the first columns of FEATURE_COLUMNS
_AREA_AT = FEATURE_COLUMNS.index("area_m2")
_UPDATED_AT = FEATURE_COLUMNS.index("updated_at")


def row_properties(values: tuple) -> dict:
    """The properties of a feature from its FEATURE_COLUMNS values (the store types them as
    the Parcel fields), as features.py's parcel_properties writes a Parcel's (area in m² and
    亩, 2 decimals)."""
    properties = dict(zip(_NAMES, values[:len(_NAMES)], strict=True))
    area_m2 = values[_AREA_AT]
    properties["area_m2"] = round(area_m2, 2)
    properties["area_mu"] = round(m2_to_mu(area_m2), 2)
    properties["updated_at"] = values[_UPDATED_AT]
    return properties


def row_feature(row: FeatureRow) -> dict:
    """One GeoJSON Feature whose geometry is the store's text, inserted as it is."""
    geometry = None if row.geometry_json is None else orjson.Fragment(row.geometry_json)
    return {"type": "Feature", "id": row.id, "geometry": geometry,
            "properties": row_properties(row.values)}


def page_features(page: FeaturePage) -> list[dict]:
    """The features of a page, for features.feature_collection (serialise with orjson)."""
    return [row_feature(row) for row in page.parcels]
