"""Adjacent parcels together, on hand-made layouts of 100 m squares (15 亩 each) laid out in
metres near 马鞍山: touching, across a 10 m lane, across a 30 m gap, far apart."""

import geopandas as gpd
import pytest
from shapely.geometry import box

from webapp.domain.parcel import Parcel
from webapp.selection.groups import (
    adjacent_sets,
    group_outline,
    neighbour_pairs,
    project_parcels,
)

EPSG = 4549  # CGCS2000 GK CM 120E, what distance_epsg picks at 118.5 E
EAST, NORTH = 357_793.0, 3_509_565.0  # (118.5 E, 31.7 N)
SIDE = 100.0


def squares(*origins: tuple[float, float]) -> list[Parcel]:
    """100 m squares with their south-west corners at the origins (metres from EAST, NORTH)."""
    shapes = [box(EAST + x, NORTH + y, EAST + x + SIDE, NORTH + y + SIDE) for x, y in origins]
    lonlat = gpd.GeoSeries(shapes, crs=EPSG).to_crs(4326)
    return [Parcel(id=i + 1, code=f"P{i + 1}", land_use="100101", status="available",
                   area_m2=SIDE * SIDE, geometry=g) for i, g in enumerate(lonlat)]


def groups_of(parcels: list[Parcel], gap_m=15.0, low=25.0, high=50.0) -> list[tuple[str, ...]]:
    layout = project_parcels(parcels)
    pairs = neighbour_pairs(layout.geometries_m, gap_m)
    return [tuple(layout.parcels[i].code for i in s)
            for s in adjacent_sets(layout.areas_mu, pairs, low, high)]


def test_groups_touching_squares_form_a_pair():
    assert groups_of(squares((0, 0), (SIDE, 0))) == [("P1", "P2")]


def test_groups_squares_across_a_10_m_lane_form_a_pair():
    assert groups_of(squares((0, 0), (SIDE + 10, 0))) == [("P1", "P2")]


def test_groups_a_10_m_lane_is_too_wide_for_a_5_m_gap():
    assert groups_of(squares((0, 0), (SIDE + 10, 0)), gap_m=5.0) == []


def test_groups_squares_across_a_30_m_gap_do_not_group():
    assert groups_of(squares((0, 0), (SIDE + 30, 0))) == []


def test_groups_squares_far_apart_do_not_group():
    assert groups_of(squares((0, 0), (1000, 1000))) == []


def test_groups_corner_touch_counts_as_adjacent():
    assert groups_of(squares((0, 0), (SIDE, SIDE))) == [("P1", "P2")]


def test_groups_a_row_of_three_gives_two_pairs_and_the_triple():
    row = squares((0, 0), (SIDE, 0), (2 * SIDE + 10, 0))
    assert groups_of(row) == [("P1", "P2"), ("P2", "P3"), ("P1", "P2", "P3")]


def test_groups_ends_of_a_row_are_not_a_pair():
    row = squares((0, 0), (SIDE, 0), (2 * SIDE, 0))
    assert ("P1", "P3") not in groups_of(row)


def test_groups_must_add_up_to_the_area_range():
    row = squares((0, 0), (SIDE, 0), (2 * SIDE, 0))
    assert groups_of(row, low=40, high=50) == [("P1", "P2", "P3")]  # 45 亩 only as three
    assert groups_of(row, low=25, high=35) == [("P1", "P2"), ("P2", "P3")]  # 30 亩


def test_groups_without_a_maximum_take_any_larger_sum():
    assert groups_of(squares((0, 0), (SIDE, 0)), low=20, high=None) == [("P1", "P2")]


def test_group_outline_closes_the_lane():
    parcels = squares((0, 0), (SIDE + 10, 0))
    layout = project_parcels(parcels)
    outline = group_outline(layout, (0, 1), 15.0)
    assert outline.area_m2 == pytest.approx((2 * SIDE + 10) * SIDE, rel=1e-3)
    assert outline.geometry.geom_type == "Polygon"
    assert outline.geometry.contains(parcels[0].geometry.centroid)


def test_group_outline_of_touching_squares_is_their_union():
    layout = project_parcels(squares((0, 0), (SIDE, 0)))
    assert group_outline(layout, (0, 1), 15.0).area_m2 == pytest.approx(2 * SIDE * SIDE, rel=1e-3)


def test_group_outline_is_in_lon_lat():
    layout = project_parcels(squares((0, 0), (SIDE, 0)))
    minx, miny, maxx, maxy = group_outline(layout, (0, 1), 15.0).geometry.bounds
    assert 118.4 < minx < maxx < 118.6 and 31.6 < miny < maxy < 31.8


def test_project_parcels_uses_the_distance_crs():
    assert project_parcels(squares((0, 0))).epsg == EPSG
