"""The import preview's parts without an app: the map's bounded features, the repaired areas,
the summary's choices in the user's language."""

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Polygon

from webapp.domain.area import compute_areas_m2
from webapp.importing.report import ACCEPTED, REPAIRED, ImportReport, RowOutcome
from webapp.imports.repairs import repaired_parcels
from webapp.imports.summary import translate_chosen
from webapp.maps.import_map import incoming_features

BOW_TIE = Polygon([(118.52, 31.70), (118.53, 31.71), (118.53, 31.70), (118.52, 31.71)])


def frame(count: int, repaired_row: int | None = None) -> gpd.GeoDataFrame:
    """count square parcels P-0..; the one at repaired_row is a bow-tie repaired by make_valid."""
    shapes = [shapely.box(118.5 + i * 0.001, 31.7, 118.5005 + i * 0.001, 31.7005)
              for i in range(count)]
    if repaired_row is not None:
        shapes[repaired_row] = shapely.make_valid(BOW_TIE)
    parcels = gpd.GeoDataFrame({"code": [f"P-{i}" for i in range(count)]}, geometry=shapes,
                               crs=4326)
    parcels["area_m2"] = compute_areas_m2(parcels.geometry)
    return parcels


def test_incoming_features_are_bounded_repaired_first():
    features = incoming_features(frame(10, repaired_row=7), {"P-7"}, limit=3)["features"]
    assert [(f["properties"]["code"], f["properties"]["r"]) for f in features] == [
        ("P-7", True), ("P-0", False), ("P-1", False)]


def test_incoming_features_carry_area_in_square_metres():
    feature = incoming_features(frame(1), set())["features"][0]
    assert feature["properties"]["m2"] == pytest.approx(47.3 * 55.6, rel=0.02)


def test_bow_tie_repair_keeps_half_of_its_outline():
    report = ImportReport("f.geojson", "GeoJSON", rows=[
        RowOutcome(1, "P-0", ACCEPTED), RowOutcome(2, "P-1", REPAIRED, "repaired")])
    [repaired] = repaired_parcels(report, frame(2, repaired_row=1))
    assert (repaired.row, repaired.code) == (2, "P-1")
    assert repaired.kept_pct == pytest.approx(50, abs=0.5) and repaired.lost_area
    assert repaired.outline_mu == pytest.approx(repaired.outline_m2 * 15 / 10000)


def test_no_repairs_no_rows():
    report = ImportReport("f.geojson", "GeoJSON", rows=[RowOutcome(1, "P-0", ACCEPTED)])
    assert repaired_parcels(report, frame(1)) == []


def fake_zh(text: str, **values) -> str:
    return ("ZH " + text) % values if values else "ZH " + text


@pytest.mark.parametrize(("text", "expected"), [
    ("WGS 84 (EPSG:4326; from the file)", "WGS 84 (EPSG:4326; ZH from the file)"),
    ("CGCS2000 (EPSG:4490; no CRS in the file; coordinates are longitude/latitude (CGCS2000 "
     "assumed))", "CGCS2000 (EPSG:4490; ZH no CRS in the file; coordinates are "
     "longitude/latitude (CGCS2000 assumed))"),
    ("gb18030 (detected: GB18030/GBK Chinese text (no .cpg file))",
     "gb18030 (ZH detected: GB18030/GBK Chinese text (no .cpg file))"),
    ("utf-8 (from 地块.cpg)", "utf-8 (ZH from 地块.cpg)"),
    ("x (EPSG:1; something new)", "x (EPSG:1; something new)"),
    ("no parentheses", "no parentheses"),
])
def test_summary_choices_are_translated(text, expected):
    assert translate_chosen(text, fake_zh) == expected
