"""Parcels imported without a street get the street boundary holding them (issue 16)."""

import json

import pandas as pd
import pytest
import shapely

from tests.conftest import DATA
from tests.editing_fixtures import csrf_token
from tests.importing.context_files import street_boundaries, write_geojson
from webapp.domain.landuse import load_landuse_table
from webapp.importing.context_layers import apply_context_import, plan_context_import
from webapp.importing.pipeline import apply_import, fill_plan_streets, plan_import
from webapp.store import GeoPackageStore


def parcels_without_streets(folder, kept=None, moved=None):
    """small.geojson with every street removed but `kept` (code -> street); `moved` (code ->
    (dx, dy) degrees) shifts parcels."""
    data = json.loads((DATA / "small.geojson").read_text(encoding="utf-8"))
    for feature in data["features"]:
        code = feature["properties"]["code"]
        feature["properties"]["street"] = (kept or {}).get(code)
        if code in (moved or {}):
            shape = shapely.affinity.translate(shapely.geometry.shape(feature["geometry"]),
                                               *moved[code])
            feature["geometry"] = shapely.geometry.mapping(shape)
    path = folder / "no_streets.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path):
    """A GeoPackage store of the four test parcels with the two street boundaries."""
    store = GeoPackageStore(tmp_path / "parcels.gpkg")
    store.replace_all(plan_import(DATA / "small.geojson", load_landuse_table()).parcels)
    store.ensure_schema()
    plan = plan_context_import(street_boundaries(tmp_path), "streets", "街道界线",
                               "street_boundary")
    apply_context_import(store.context, plan, "carla")
    return store


def streets_of(plan):
    return dict(zip(plan.parcels["code"], plan.parcels["street"], strict=True))


def test_street_fill_names_the_boundary_holding_each_parcel(store, tmp_path):
    plan = plan_import(parcels_without_streets(tmp_path), load_landuse_table())
    assert fill_plan_streets(plan, store) == 4
    assert streets_of(plan) == {"T-001": "金家庄街道", "T-002": "塘西街道",
                                "T-003": "金家庄街道", "T-004": "塘西街道"}


def test_street_fill_keeps_a_street_the_file_gives(store, tmp_path):
    plan = plan_import(parcels_without_streets(tmp_path, kept={"T-002": "江东街道"}),
                       load_landuse_table())
    assert fill_plan_streets(plan, store) == 3
    assert streets_of(plan)["T-002"] == "江东街道"


def test_street_fill_leaves_a_parcel_outside_every_boundary(store, tmp_path):
    plan = plan_import(parcels_without_streets(tmp_path, moved={"T-004": (0.05, 0.0)}),
                       load_landuse_table())
    assert fill_plan_streets(plan, store) == 3
    assert pd.isna(streets_of(plan)["T-004"])


def test_street_fill_is_in_the_report(store, tmp_path):
    plan = plan_import(parcels_without_streets(tmp_path), load_landuse_table())
    fill_plan_streets(plan, store)
    assert "Street filled from boundaries: 4" in plan.report.summary_lines()


def test_street_fill_a_second_time_fills_nothing_more(store, tmp_path):
    plan = plan_import(parcels_without_streets(tmp_path), load_landuse_table())
    fill_plan_streets(plan, store)
    assert fill_plan_streets(plan, store) == 0 and plan.report.streets_filled == 4


def test_street_fill_ignores_polygon_layers_of_other_kinds(tmp_path):
    store = GeoPackageStore(tmp_path / "parcels.gpkg")
    store.replace_all(plan_import(DATA / "small.geojson", load_landuse_table()).parcels)
    store.ensure_schema()
    park = write_geojson(tmp_path / "park.geojson",
                         [({"name": "公园"}, shapely.box(118.49, 31.69, 118.52, 31.72))])
    apply_context_import(store.context, plan_context_import(park, "parks", "公园", "park"), "c")
    plan = plan_import(parcels_without_streets(tmp_path), load_landuse_table())
    assert fill_plan_streets(plan, store) == 0


def test_street_fill_is_written_by_apply_import(store, tmp_path):
    plan = plan_import(parcels_without_streets(tmp_path), load_landuse_table())
    apply_import(store, plan, "replace")
    assert store.get("T-004").street == "塘西街道"
    assert plan.report.streets_filled == 4


def test_street_fill_shows_in_the_web_preview(staff_store, editor_client, tmp_path):
    plan = plan_context_import(street_boundaries(tmp_path), "streets", "街道界线",
                               "street_boundary")
    apply_context_import(staff_store.context, plan, "carla")
    data = {"csrf_token": csrf_token(editor_client, "/imports/")}
    with parcels_without_streets(tmp_path).open("rb") as f:
        data["file"] = (f, "no_streets.geojson")
        response = editor_client.post("/imports/", data=data, content_type="multipart/form-data")
    html = editor_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<li>按街道边界补全街道的地块: 4</li>" in html  # the Chinese UI says it in Chinese
