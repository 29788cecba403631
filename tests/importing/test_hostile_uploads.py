"""Acceptance (issue 14 §3): uploads are opened only by the GDAL driver their checked type
names; VRT, CSV and SQLite tricks are refused with a clear message and leak nothing."""

import shutil
import subprocess

import pyogrio
import pytest

from tests.conftest import DATA
from tests.editing_fixtures import csrf_token
from tests.importing import hostile_files as hf
from tests.importing.test_web_import import preview_url, token_of, upload
from webapp.domain.errors import DataFileError
from webapp.domain.landuse import load_landuse_table
from webapp.importing import drivers
from webapp.importing.pipeline import plan_import


def plan(path):
    return plan_import(path, load_landuse_table())


def test_hostile_upload_is_refused_without_leaking(attack):
    path, words = attack
    with pytest.raises(DataFileError) as refused:
        plan(path)
    assert words in str(refused.value) and path.name in str(refused.value)
    assert hf.SECRET not in str(refused.value) and "root:" not in str(refused.value)


def test_hostile_geopackage_is_refused(evil_gpkg):
    path, words = evil_gpkg
    with pytest.raises(DataFileError, match=r"^evil\.gpkg: ") as refused:
        plan(path)
    assert words in str(refused.value)


def test_hostile_geopackage_is_not_written_to(evil_gpkg):
    path, _words = evil_gpkg
    before = (path.stat().st_mtime_ns, path.read_bytes())
    with pytest.raises(DataFileError):
        plan(path)
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_damaged_geopackage_gets_a_clear_message(tmp_path):
    path = hf.real_geopackage(tmp_path)
    path.write_bytes(path.read_bytes()[:2048])
    with pytest.raises(DataFileError, match=r"^bureau\.gpkg: .*(damaged|cannot be opened)"):
        plan(path)


def test_geopackage_made_by_pyogrio_imports(tmp_path):
    result = plan(hf.real_geopackage(tmp_path))
    assert sorted(result.parcels["code"]) == ["HS-01", "HS-02", "HS-03"]


def test_geopackage_made_by_debian_ogr2ogr_imports(tmp_path):
    ogr2ogr = shutil.which("ogr2ogr")
    if ogr2ogr is None:
        pytest.skip("ogr2ogr (gdal-bin) is missing")
    source = hf.real_geopackage(tmp_path, "source.gpkg")
    target = tmp_path / "ogr2ogr.gpkg"
    subprocess.run([ogr2ogr, "-f", "GPKG", str(target), str(source)], check=True,
                   capture_output=True, timeout=60)
    assert len(plan(target).parcels) == 3


@pytest.mark.parametrize("missing", [".shx", ".dbf"])
def test_zipped_shapefile_without_index_or_table_is_refused(tmp_path, missing):
    shp = tmp_path / "shp"
    shp.mkdir()
    pyogrio.write_dataframe(hf.expected_lonlat_frame(), shp / "p.shp", encoding="GBK")
    entries = {p.name: p.read_bytes() for p in shp.iterdir() if p.suffix != missing}
    with pytest.raises(DataFileError, match=f"has no \\{missing} file"):
        plan(hf.zipped(tmp_path, "p.zip", entries))


def test_upload_block_knows_only_the_four_drivers():
    lib = drivers.gdal_libraries()[0]
    with drivers.only_upload_drivers():
        inside = {name for name, _ in drivers.registered_drivers(lib)}
    assert inside == {"GPKG", "GeoJSON", "ESRI Shapefile", "OpenFileGDB"}


def test_upload_block_gives_other_gdal_users_their_drivers_back():
    lib = drivers.gdal_libraries()[0]
    before = {name for name, _ in drivers.registered_drivers(lib)}
    with drivers.only_upload_drivers():
        pass
    assert {name for name, _ in drivers.registered_drivers(lib)} == before
    assert {"OGR_VRT", "CSV", "MVT"} <= before


def test_upload_refused_when_gdal_cannot_be_restricted(monkeypatch, tmp_path):
    monkeypatch.setattr(drivers, "_LIBS", [])
    monkeypatch.setattr(drivers, "_loaded_gdal_paths", lambda: [])
    with pytest.raises(drivers.UnsafeReaderError, match="cannot be opened safely"):
        plan(DATA / "small.geojson")


def test_upload_driver_other_than_named_is_refused():
    with pytest.raises(DataFileError, match="not a plain GeoJSON file"):
        drivers.check_driver({"driver": "OGR_VRT"}, "geojson", "a.json")


# Through the web upload (the CLI's refusals: tests/cli/test_hostile_imports.py).

def test_web_hostile_upload_shows_reason_and_no_secret(editor_client, attack):
    path, words = attack
    url = preview_url(upload(editor_client, path))
    html = editor_client.get(url).get_data(as_text=True)
    assert words in html and "confirm-import" not in html
    assert hf.SECRET not in html and "root:x:" not in html
    report = editor_client.get(f"/imports/{token_of(url)}/report.csv")
    assert report.status_code in (400, 422) and hf.SECRET not in report.get_data(as_text=True)


def test_web_hostile_geopackage_shows_reason(editor_client, evil_gpkg):
    path, words = evil_gpkg
    html = editor_client.get(preview_url(upload(editor_client, path))).get_data(as_text=True)
    assert words in html and "confirm-import" not in html


def test_web_hostile_upload_cannot_be_confirmed(editor_client, staff_store, attack):
    path, _words = attack
    url = preview_url(upload(editor_client, path))
    response = editor_client.post(f"/imports/{token_of(url)}/confirm", data={
        "csrf_token": csrf_token(editor_client, "/imports/"), "mode": "replace"})
    assert 400 <= response.status_code < 500
    assert hf.SECRET not in response.get_data(as_text=True)
    assert staff_store.count() == 4


def test_web_real_geopackage_imports(editor_client, staff_store, tmp_path):
    url = preview_url(upload(editor_client, hf.real_geopackage(tmp_path)))
    assert 'data-accepted="3"' in editor_client.get(url).get_data(as_text=True)
