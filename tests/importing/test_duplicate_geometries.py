"""Parcels of one file with the same shape under different codes: flagged with a warning by
default, rejected with reject_duplicates."""

import json

import pytest
import shapely
from shapely.geometry import box

from webapp.domain.landuse import load_landuse_table
from webapp.importing.duplicates import find_duplicate_geometries
from webapp.importing.pipeline import ImportOptions, plan_import

SQUARE = box(118.50, 31.70, 118.501, 31.701)  # about 95 m × 111 m


@pytest.mark.parametrize(("other", "same"), [
    (SQUARE, True),
    (shapely.reverse(SQUARE), True),  # other vertex order
    (shapely.affinity.translate(SQUARE, 0.000003), True),  # about 0.3 m east
    (shapely.affinity.translate(SQUARE, 0.00003), False),  # about 3 m east
    (box(118.50, 31.70, 118.501, 31.7011), False),  # 11 m taller
    (box(118.5005, 31.70, 118.5015, 31.701), False),  # a neighbour overlapping half
])
def test_duplicate_shapes_are_found_within_the_tolerance(other, same):
    pairs = find_duplicate_geometries(shapely.multipolygons([[SQUARE], [other]]))
    assert pairs.tolist() == ([[0, 1]] if same else [])


def write_file(tmp_path, codes):
    features = [{"type": "Feature", "geometry": shapely.geometry.mapping(
        box(118.50 + 0.002 * (i // 2 if len(codes) == 3 else i), 31.70,
            118.501 + 0.002 * (i // 2 if len(codes) == 3 else i), 31.701)),
        "properties": {"code": code, "land_use": "1001"}} for i, code in enumerate(codes)]
    path = tmp_path / "parcels.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_duplicate_geometry_is_imported_with_a_warning(tmp_path):
    plan = plan_import(write_file(tmp_path, ["A", "B", "C"]), load_landuse_table())
    assert len(plan.parcels) == 3
    assert [r.outcome for r in plan.report.rows] == ["accepted"] * 3
    assert plan.report.rows[1].message == "duplicate geometry: same shape as “A” (row 1)"
    assert [g.text() for g in plan.report.problem_groups()] == ["duplicate geometry: 1 row"]


def test_duplicate_geometry_is_rejected_on_request(tmp_path):
    plan = plan_import(write_file(tmp_path, ["A", "B", "C"]), load_landuse_table(),
                       ImportOptions(reject_duplicates=True))
    assert plan.parcels["code"].tolist() == ["A", "C"]
    assert plan.parcels["id"].tolist() == [1, 2]
    assert [r.outcome for r in plan.report.rows] == ["accepted", "rejected", "accepted"]


def test_separate_parcels_are_not_duplicates(tmp_path):
    plan = plan_import(write_file(tmp_path, ["A", "B"]), load_landuse_table())
    assert [r.message for r in plan.report.rows] == ["", ""]
