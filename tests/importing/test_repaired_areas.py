"""Repaired parcels are measured together (issue 19 §6: one projection per chunk, not one per
parcel); the equal-area projection gives each the area it has when measured alone (to 1 ppm)."""

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Polygon

from webapp.domain.area import compute_areas_m2
from webapp.domain.landuse import load_landuse_table
from webapp.importing.rows import validate_rows


def bowtie(lon: float, lat: float, size: float) -> Polygon:
    """A self-intersecting quadrilateral (repaired into two triangles)."""
    return Polygon([(lon, lat), (lon + size, lat + size), (lon + size, lat), (lon, lat + size)])


def square(lon: float, lat: float, size: float) -> Polygon:
    return Polygon([(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size)])


@pytest.mark.parametrize("apart_deg", [0.01, 3.0])
def test_parcels_measured_together_have_their_areas_alone(apart_deg):
    shapes = [square(118.5, 31.7, 0.001),
              bowtie(118.5 + apart_deg, 31.7 + apart_deg, 0.002).buffer(0)]
    together = compute_areas_m2(gpd.GeoSeries(shapes, crs=4326))
    alone = [compute_areas_m2(gpd.GeoSeries([shape], crs=4326))[0] for shape in shapes]
    np.testing.assert_allclose(together, alone, rtol=1e-6)  # 1 ppm: 0.01 m² of a hectare


def test_repaired_parcels_are_measured_as_repaired():
    frame = gpd.GeoDataFrame({"code": ["B1", "B2", "S1"], "land_use": ["1001"] * 3,
                              "area": [1.0] * 3},
                             geometry=[bowtie(118.50, 31.70, 0.002),
                                       bowtie(118.52, 31.72, 0.004),
                                       square(118.54, 31.74, 0.001)], crs=4326)
    _good, outcomes = validate_rows(frame, {"code": "code", "land_use": "land_use",
                                            "area": "declared_area"},
                                    load_landuse_table(), None, 1, {}, 3)
    alone = [compute_areas_m2(gpd.GeoSeries([shape], crs=4326))[0]
             for shape in frame.geometry.make_valid()]
    for outcome, area_m2 in zip(outcomes, alone, strict=True):
        assert f"the computed {area_m2:,.1f} m²" in outcome.message
