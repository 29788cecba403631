"""Planning a context-layer import: file types, encoding, CRS, geometry checks per family,
name and class fields, refusals; and writing it through a real store."""

import re

import pytest
import shapely

from tests.conftest import DATA
from tests.importing.context_files import (
    ROAD,
    gbk_points_zip,
    mixed_geopackage,
    roads_geojson,
    write_geojson,
)
from webapp.domain.errors import DataFileError, InvalidEditError
from webapp.domain.landuse import load_landuse_table
from webapp.importing.context_layers import (
    MAX_TEXT,
    ContextImportOptions,
    apply_context_import,
    plan_context_import,
)
from webapp.importing.pipeline import dataset_layers, plan_strict_import
from webapp.store import GeoPackageStore


@pytest.fixture
def gpkg(tmp_path):
    """A GeoPackage store with the four test parcels and its full schema."""
    store = GeoPackageStore(tmp_path / "parcels.gpkg")
    store.replace_all(plan_strict_import(DATA / "small.geojson", load_landuse_table()).parcels)
    store.ensure_schema()
    return store


def plan(path, kind="road", name="layer", title="图层", **options):
    return plan_context_import(path, name, title, kind, ContextImportOptions(**options))


def outcomes(result):
    return [(r.row, r.outcome, r.message) for r in result.report.rows]


def test_context_plan_guesses_name_and_class_fields(tmp_path):
    result = plan(roads_geojson(tmp_path))
    assert result.report.mapping == {"NAME": "name", "DJ": "feature_class"}
    assert list(result.features["name"]) == ["205国道", "湖西路"]


def test_context_plan_turns_number_classes_into_text(tmp_path):
    assert list(plan(roads_geojson(tmp_path)).features["feature_class"]) == ["G205", "2"]


def test_context_plan_uses_the_named_fields(tmp_path):
    result = plan(roads_geojson(tmp_path), name_field="DJ", class_field="NAME")
    assert list(result.features["name"]) == ["G205", "2"]


def test_context_plan_features_are_lonlat(tmp_path):
    result = plan(roads_geojson(tmp_path))
    assert result.features.crs.to_epsg() == 4326
    assert result.features.geometry.iloc[0].equals_exact(ROAD, 1e-9)


def test_context_plan_detects_gbk_and_the_gk_zone(tmp_path):
    result = plan(gbk_points_zip(tmp_path), kind="interchange")
    assert result.report.encoding.startswith("gb18030")
    assert "4528" in result.report.crs
    assert list(result.features["name"]) == ["马鞍山东互通", "慈湖互通"]
    assert list(result.features["feature_class"]) == ["枢纽", "一般"]


def test_context_plan_points_land_within_a_metre(tmp_path):
    point = plan(gbk_points_zip(tmp_path), kind="interchange").features.geometry.iloc[0]
    assert point.distance(shapely.Point(118.53, 31.70)) < 1e-5  # about 1 m


def test_context_plan_takes_the_only_layer_of_the_family(tmp_path):
    result = plan(mixed_geopackage(tmp_path), kind="national_road")
    assert result.report.layer == "roads" and len(result.features) == 1


def test_parcel_import_still_sees_polygon_layers_only(tmp_path):
    assert dataset_layers(mixed_geopackage(tmp_path)) == ["streets"]


def test_context_plan_repairs_a_bowtie_polygon(tmp_path):
    bowtie = shapely.Polygon([(118.52, 31.70), (118.53, 31.71), (118.53, 31.70), (118.52, 31.71)])
    result = plan(write_geojson(tmp_path / "b.geojson", [({"name": "公园"}, bowtie)]), kind="park")
    assert outcomes(result)[0][1] == "repaired" and "Self-intersection" in outcomes(result)[0][2]
    assert result.features.geometry.iloc[0].is_valid


def test_context_plan_drops_a_line_part_without_length(tmp_path):
    line = shapely.MultiLineString([[(118.50, 31.70), (118.51, 31.70)],
                                    [(118.52, 31.70), (118.52, 31.70)]])
    result = plan(write_geojson(tmp_path / "l.geojson", [({"name": "路"}, line)]))
    assert outcomes(result) == [(1, "repaired", "repaired line: dropped 1 part(s) without length")]


def test_context_plan_drops_z_coordinates(tmp_path):
    line = shapely.LineString([(118.50, 31.70, 12.0), (118.51, 31.70, 13.0)])
    result = plan(write_geojson(tmp_path / "z.geojson", [({"name": "路"}, line)]))
    assert not result.features.geometry.iloc[0].has_z


def test_context_plan_shortens_long_names_with_a_note(tmp_path):
    result = plan(write_geojson(tmp_path / "n.geojson", [({"name": "长" * 500}, ROAD)]))
    assert len(result.features["name"].iloc[0]) == MAX_TEXT
    assert outcomes(result) == [(1, "accepted", f"text shortened to {MAX_TEXT} characters")]


@pytest.mark.parametrize(("geometry", "reason"), [
    (shapely.Point(118.50, 31.70), "geometry is a Point, not a line"),
    (None, "empty geometry"),
    (shapely.LineString([(118.50, 31.70), (118.50, 31.70)]), "a line without length"),
])
def test_context_plan_rejects_rows_that_are_no_line(tmp_path, geometry, reason):
    path = write_geojson(tmp_path / "r.geojson", [({"name": "好"}, ROAD),
                                                  ({"name": "坏"}, geometry)])
    result = plan(path)
    assert result.report.rows[1].outcome == "rejected" and reason in result.report.rows[1].message
    assert list(result.features["name"]) == ["好"]


def test_context_plan_rejects_lines_in_a_point_layer(tmp_path):
    path = write_geojson(tmp_path / "p.geojson", [({"name": "站"}, shapely.Point(118.5, 31.7)),
                                                  ({"name": "路"}, ROAD)])
    result = plan(path, kind="station")
    assert outcomes(result)[1] == (2, "rejected", "geometry is a LineString, not a point")


def test_context_plan_without_name_field_has_no_names(tmp_path):
    result = plan(write_geojson(tmp_path / "u.geojson", [({"id": 1}, ROAD)]))
    assert result.report.mapping == {} and result.features["name"].iloc[0] is None


@pytest.mark.parametrize(("arguments", "message"), [
    ({"kind": "interchange"}, "holds no point layer (its layers hold LineString)"),
    ({"name_field": "名称"}, "no field “名称” for the feature name; fields: NAME, DJ"),
    ({"class_field": "LX"}, "no field “LX” for the feature class"),
    ({"crs": "EPSG:4549"}, "outside the service area"),
    ({"crs": "EPSG:99999"}, "unknown coordinate reference system"),
    ({"layer": "nope"}, "no line layer “nope”"),
])
def test_context_plan_refuses_bad_choices(tmp_path, arguments, message):
    with pytest.raises(DataFileError, match=re.escape(message)):
        plan(roads_geojson(tmp_path), **arguments)


@pytest.mark.parametrize(("name", "title", "kind", "field"), [
    ("Bad Name", "标题", "road", "name"),
    ("parcels", "标题", "road", "name"),
    ("ok", "  ", "road", "title"),
    ("ok", "标题", "volcano", "kind"),
])
def test_context_plan_refuses_bad_layer_fields(tmp_path, name, title, kind, field):
    with pytest.raises(InvalidEditError) as caught:
        plan_context_import(roads_geojson(tmp_path), name, title, kind)
    assert field in caught.value.fields


def test_context_plan_refuses_ambiguous_gk_eastings(tmp_path):
    with pytest.raises(DataFileError, match="fit both CGCS2000"):
        plan(gbk_points_zip(tmp_path, crs=4549, keep_prj=False), kind="interchange")


def test_context_plan_takes_the_named_crs_of_a_file_without_one(tmp_path):
    result = plan(gbk_points_zip(tmp_path, crs=4549, keep_prj=False), kind="interchange",
                  crs="EPSG:4549")
    assert result.features.geometry.iloc[0].distance(shapely.Point(118.53, 31.70)) < 1e-5


def test_context_plan_refuses_a_renamed_image(renamed_png):
    with pytest.raises(DataFileError, match="this is a PNG image"):
        plan(renamed_png)


def test_context_plan_refuses_an_archive_climbing_out(traversal_zip):
    with pytest.raises(DataFileError, match="points outside the archive"):
        plan(traversal_zip)


def test_context_apply_writes_the_layer(gpkg, tmp_path):
    stored = apply_context_import(gpkg.context, plan(roads_geojson(tmp_path), name="roads"),
                                  "carla")
    assert (stored.name, stored.feature_count, stored.imported_by) == ("roads", 2, "carla")
    assert stored.source == "roads.geojson"


def test_context_apply_refuses_a_plan_without_features(gpkg, tmp_path):
    flat = shapely.LineString([(118.5, 31.7), (118.5, 31.7)])
    path = write_geojson(tmp_path / "bad.geojson", [({"name": "点"}, flat)])
    with pytest.raises(DataFileError, match="no feature can be imported"):
        apply_context_import(gpkg.context, plan(path, name="roads"), "carla")
    assert gpkg.context.layer("roads") is None
