"""Row outcomes of a checked chunk: geometry checks, duplicates, slivers, notes, row numbers."""

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from webapp.domain.landuse import load_landuse_table
from webapp.importing import polygons
from webapp.importing.attributes import RowError
from webapp.importing.polygons import check_geometries, check_geometry
from webapp.importing.report import ACCEPTED, REJECTED, REPAIRED, RowOutcome
from webapp.importing.rows import validate_rows

X, Y = 118.5, 31.7
SQUARE = box(X, Y, X + 0.001, Y + 0.001)  # about 95 m × 111 m
BOWTIE = Polygon([(X, Y), (X + .001, Y + .001), (X + .001, Y), (X, Y + .001)])
FLAT = Polygon([(X, Y), (X + .001, Y), (X + .002, Y)])
SLIVER = box(X, Y, X + 0.000005, Y + 0.000005)
GEOMETRIES = [
    SQUARE, MultiPolygon([SQUARE, box(X + .002, Y, X + .003, Y + .001)]), BOWTIE, FLAT, None,
    Polygon(), Point(X, Y), LineString([(X, Y), (X + 1, Y)]), shapely.force_3d(SQUARE, 5.0),
    MultiPolygon([SQUARE, box(X + .0005, Y, X + .0015, Y + .001)]),
    Polygon(SQUARE.exterior.coords, [box(X + .0002, Y + .0002, X + .0004, Y + .0004)
                                     .exterior.coords]),
]


def one_by_one(geometry):
    try:
        polygon, note = check_geometry(geometry)
        return shapely.to_wkb(polygon), note, None
    except RowError as error:
        return None, "", str(error)


def test_geometries_checked_at_once_match_one_by_one():
    checked = check_geometries(np.array(GEOMETRIES, dtype=object))
    together = [(None if p is None else shapely.to_wkb(p), n, e) for p, n, e in zip(
        checked.polygons, checked.notes, checked.errors, strict=True)]
    assert together == [one_by_one(g) for g in GEOMETRIES]


def chunk(rows: list[tuple[str, object]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"code": [code for code, _ in rows],
                             "use": ["0901"] * len(rows)},
                            geometry=[geometry for _, geometry in rows], crs=4326)


def outcomes(rows, **options) -> list[tuple]:
    mapping = options.pop("mapping", {"code": "code", "use": "land_use"})
    _, found = validate_rows(chunk(rows), mapping, load_landuse_table(), **options)
    return [(o.row, o.code, o.outcome, o.message) for o in found]


def moved(dx: float):
    return shapely.affinity.translate(SQUARE, dx)


def test_duplicate_is_checked_before_geometry_and_counts_accepted_rows_only():
    assert outcomes([("A", None), ("A", moved(.01)), ("A", moved(.02)), ("A", FLAT)]) == [
        (1, "A", REJECTED, "empty geometry"),
        (2, "A", ACCEPTED, ""),
        (3, "A", REJECTED, "duplicate code “A” (first in row 2)"),
        (4, "A", REJECTED, "duplicate code “A” (first in row 2)"),
    ]


def test_sliver_is_not_the_first_of_its_code():
    assert outcomes([("A", SLIVER), ("A", SQUARE)]) == [
        (1, "A", REJECTED, "sliver: area 0.26 m² is below 1 m²"),
        (2, "A", ACCEPTED, ""),
    ]


def test_codes_seen_in_earlier_chunks_are_duplicates():
    seen = {"A": 3}
    assert outcomes([("A", SQUARE), ("B", SQUARE)], first_row=11, seen=seen, total=12) == [
        (11, "A", REJECTED, "duplicate code “A” (first in row 3)"),
        (12, "B", ACCEPTED, ""),
    ]
    assert seen == {"A": 3, "B": 12}


def test_repaired_row_notes_the_repair_and_a_differing_declared_area():
    frame = chunk([("A", BOWTIE), ("B", SQUARE)])
    frame["面积"] = [99.0, 10_000.0]
    mapping = {"code": "code", "use": "land_use", "面积": "declared_area"}
    _, found = validate_rows(frame, mapping, load_landuse_table())
    assert [o.outcome for o in found] == [REPAIRED, ACCEPTED]
    assert found[0].message.startswith("repaired invalid geometry: Self-intersection")
    assert found[0].message.endswith("m² by more than 1%")
    assert "; declared area 99 differs from the computed" in found[0].message
    assert found[1].message == "declared area 10000 differs from the computed 10,511.5 m² " \
                               "by more than 1%"


def test_rows_refused_for_attributes_carry_no_code():
    frame = chunk([("A", SQUARE)])
    frame["use"] = ["9999"]
    _, found = validate_rows(frame, {"code": "code", "use": "land_use"}, load_landuse_table())
    assert found == [RowOutcome(1, None, REJECTED, "use: unknown land use “9999”")]


def test_progress_is_called_for_every_row_in_order():
    calls = []
    outcomes([("A", SQUARE), ("B", SQUARE)], first_row=5, total=9,
             progress=lambda done, total: calls.append((done, total)))
    assert calls == [(5, 9), (6, 9)]


def test_unexpected_error_of_a_first_problem_is_raised():
    frame = chunk([("A", SQUARE)])
    frame["years"] = ["9" * 400]
    with pytest.raises(OverflowError):
        validate_rows(frame, {"code": "code", "use": "land_use", "years": "lease_years"},
                      load_landuse_table())


def test_unexpected_geometry_error_is_raised_only_where_a_row_gets_to_its_geometry(
        monkeypatch):
    def failing(geometry):
        raise RuntimeError("GEOS failed")

    monkeypatch.setattr(polygons, "check_geometry", failing)
    assert outcomes([("A", SQUARE), ("A", BOWTIE)]) == [
        (1, "A", ACCEPTED, ""), (2, "A", REJECTED, "duplicate code “A” (first in row 1)")]
    with pytest.raises(RuntimeError, match="GEOS failed"):
        outcomes([("A", SQUARE), ("B", BOWTIE)])
