"""Parcels as a compact GeoJSON FeatureCollection for embedding in a map page."""

import numpy as np
import shapely

from webapp.domain.parcel import Parcel

COORDINATE_DECIMALS = 6  # about 10 cm at the equator


def _rounded(geometry: shapely.Geometry, decimals: int) -> dict:
    rounded = shapely.transform(geometry, lambda xy: np.round(xy, decimals))
    return shapely.geometry.mapping(rounded)


def parcels_to_feature_collection(parcels: list[Parcel],
                                  decimals: int = COORDINATE_DECIMALS) -> dict:
    """A FeatureCollection with short property keys; styles are looked up in the browser."""
    features = [
        {
            "type": "Feature",
            "id": p.id,
            "geometry": _rounded(p.geometry, decimals),
            "properties": {
                "code": p.code,
                "name": p.name,
                "lu": p.land_use,
                "st": p.status,
                "street": p.street,
                "m2": round(p.area_m2, 2),
            },
        }
        for p in parcels
        if p.geometry is not None
    ]
    return {"type": "FeatureCollection", "features": features}
