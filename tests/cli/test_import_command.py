"""`landgis import`: modes, dry run, report CSV, upsert by code, drafts, and the export round
trip."""

import json

import pytest

from tests.conftest import DATA, SAMPLE, make_app
from tests.editing_fixtures import add_staff
from webapp.cli import main
from webapp.domain.filters import ParcelFilter


def stored(tmp_path):
    app = make_app(tmp_path / "check", DATA / "small.geojson",
                   INSTANCE_PATH=str(tmp_path / "instance"))
    return app.extensions["landgis.store"]


def codes(store):
    return sorted(p.code for p in store.query(ParcelFilter(include_drafts=True)).parcels)


def test_import_dry_run_writes_nothing(runner, tmp_path, messy_geojson):
    result = runner.invoke(main, ["import", str(messy_geojson), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "1 accepted, 1 repaired, 1 rejected" in result.output
    assert "Dry run: nothing was written." in result.output
    assert codes(stored(tmp_path)) == ["T-001", "T-002", "T-003", "T-004"]


def test_import_upsert_adds_new_codes_and_keeps_others(runner, tmp_path, messy_geojson):
    result = runner.invoke(main, ["import", str(messy_geojson), "--mode", "upsert"])
    assert "1 new, 0 updated, 1 unchanged" in result.output, result.output
    assert codes(stored(tmp_path)) == ["T-001", "T-002", "T-003", "T-004", "T-BOW"]


def test_import_upsert_bumps_version_of_changed_parcel(runner, tmp_path):
    changed = json.loads((DATA / "small.geojson").read_text())
    changed["features"][0]["properties"]["status"] = "sold"
    path = tmp_path / "changed.geojson"
    path.write_text(json.dumps(changed, ensure_ascii=False))
    result = runner.invoke(main, ["import", str(path)])
    assert "0 new, 1 updated, 3 unchanged" in result.output, result.output
    parcel = stored(tmp_path).get("T-001")
    assert (parcel.status, parcel.version) == ("sold", 2)


def test_import_replace_keeps_ids_of_known_codes(runner, tmp_path, messy_geojson):
    before = stored(tmp_path).get("T-001").id
    result = runner.invoke(main, ["import", str(messy_geojson), "--mode", "replace"])
    assert result.exit_code == 0, result.output
    store = stored(tmp_path)
    assert codes(store) == ["T-001", "T-BOW"] and store.get("T-001").id == before


def test_import_strict_refuses_file_with_rejected_rows(runner, tmp_path, messy_geojson):
    result = runner.invoke(main, ["import", str(messy_geojson), "--strict"])
    assert result.exit_code != 0 and "nothing was written" in result.output
    assert codes(stored(tmp_path)) == ["T-001", "T-002", "T-003", "T-004"]


def test_import_writes_report_csv(runner, tmp_path, messy_geojson):
    report = tmp_path / "report.csv"
    runner.invoke(main, ["import", str(messy_geojson), "--dry-run", "--report", str(report)])
    assert "rejected,duplicate code" in report.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(("fixture", "message"), [
    ("renamed_png", "this is a PNG image, not a parcel file"),
    ("zip_bomb", "looks like a zip bomb"),
    ("two_layer_geopackage", "choose one with --layer"),
])
def test_import_refused_file_says_why_and_writes_nothing(request, runner, tmp_path, fixture,
                                                          message):
    result = runner.invoke(main, ["import", str(request.getfixturevalue(fixture))])
    assert result.exit_code != 0
    assert message in result.output and "Nothing was written." in result.output
    assert codes(stored(tmp_path)) == ["T-001", "T-002", "T-003", "T-004"]


def test_import_draft_parcels_are_not_public(runner, tmp_path, messy_geojson):
    runner.invoke(main, ["import", str(messy_geojson), "--draft"])
    store = stored(tmp_path)
    assert store.get("T-BOW") is None and store.get("T-BOW", include_drafts=True)


@pytest.mark.parametrize(("flags", "published"), [([], False), (["--publish"], True)])
def test_import_replace_keeps_drafts_unless_asked(runner, tmp_path, flags, published):
    app = make_app(tmp_path / "a", DATA / "small.geojson",
                   INSTANCE_PATH=str(tmp_path / "instance"))
    add_staff(app)
    store = app.extensions["landgis.store"]
    store.update_parcel(store.get("T-001").id, {"published": False}, None, "eddie", "form")
    result = runner.invoke(main, ["import", str(DATA / "small.geojson"), "--mode", "replace",
                                  *flags])
    assert result.exit_code == 0, result.output
    assert store.get("T-001", include_drafts=True).published is published


def test_import_draft_and_publish_together_is_refused(runner):
    result = runner.invoke(main, ["import", str(DATA / "small.geojson"), "--draft",
                                  "--publish"])
    assert result.exit_code == 2 and "contradict" in result.output


@pytest.mark.parametrize("file_format", ["geojson", "gpkg"])
def test_export_then_import_round_trips_the_sample(tmp_path, file_format):
    app = make_app(tmp_path / "a", SAMPLE)
    original = app.extensions["landgis.store"].query(ParcelFilter()).parcels
    exported = tmp_path / f"export.{file_format}"
    exported.write_bytes(app.test_client().get(f"/export/parcels.{file_format}").data)
    again = make_app(tmp_path / "b", exported).extensions["landgis.store"]
    reloaded = {p.code: p for p in again.query(ParcelFilter()).parcels}
    assert set(reloaded) == {p.code for p in original}
    for parcel in original:
        twin = reloaded[parcel.code]
        for name in ("name", "land_use", "street", "location", "status", "supply_method",
                     "lease_years", "far_min", "far_max", "density_min_pct", "density_max_pct",
                     "green_min_pct", "green_max_pct", "height_max_m", "price_start_wan",
                     "deposit_wan", "invest_min_wan_per_mu", "tax_min_wan_per_mu", "contact",
                     "note"):
            assert getattr(twin, name) == getattr(parcel, name), (parcel.code, name)
        assert twin.area_m2 == pytest.approx(parcel.area_m2, rel=1e-5)
        assert twin.extra == {}
