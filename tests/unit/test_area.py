"""Areas are computed in a projected (equal-area) CRS and agree with survey projections."""

import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import box

from tests.conftest import SAMPLE
from webapp.domain.area import compute_areas_m2

GK_CM120 = 4549  # CGCS2000 3-degree Gauss-Kruger CM 120E, the zone holding Ma'anshan's east


def test_area_of_known_square_in_gauss_kruger():
    square = gpd.GeoSeries([box(357793, 3509565, 357893, 3509665)], crs=GK_CM120)
    # GK scale distortion 1.5° off the central meridian is about 0.05% in area.
    assert compute_areas_m2(square)[0] == pytest.approx(10000, rel=1e-3)


def test_area_does_not_depend_on_input_crs():
    square = gpd.GeoSeries([box(357793, 3509565, 357893, 3509665)], crs=GK_CM120)
    assert compute_areas_m2(square.to_crs(4326))[0] == pytest.approx(
        compute_areas_m2(square)[0], rel=1e-6)


def test_sample_areas_agree_with_gauss_kruger_within_a_tenth_percent():
    parcels = gpd.read_file(SAMPLE)
    ours = compute_areas_m2(parcels.geometry)
    gauss_kruger = parcels.geometry.to_crs(GK_CM120).area.to_numpy()
    assert (abs(ours - gauss_kruger) / gauss_kruger).max() < 1e-3


def test_sample_areas_agree_with_geodesic_areas():
    parcels = gpd.read_file(SAMPLE)
    geod = Geod(ellps="GRS80")
    geodesic = [abs(geod.geometry_area_perimeter(g)[0]) for g in parcels.geometry]
    ours = compute_areas_m2(parcels.geometry)
    assert max(abs(a - b) / b for a, b in zip(ours, geodesic, strict=True)) < 1e-4


def test_area_without_crs_is_refused():
    with pytest.raises(ValueError, match="no CRS"):
        compute_areas_m2(gpd.GeoSeries([box(0, 0, 1, 1)]))
