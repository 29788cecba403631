"""Issue 19 §3: a zipped File Geodatabase (.gdb folder) imports layer by layer, read only by
GDAL's OpenFileGDB driver; broken or mixed archives are refused with a clear message."""

import pytest

from tests.editing_fixtures import csrf_token
from tests.importing import geodatabase_files as gf
from tests.importing.test_web_import import preview_url, token_of, upload
from webapp.domain.errors import DataFileError
from webapp.domain.landuse import load_landuse_table
from webapp.importing.pipeline import ImportOptions, dataset_layers, plan_import


@pytest.fixture(scope="module")
def gdb_zip(tmp_path_factory):
    """The zipped two-layer File Geodatabase (read only by the tests)."""
    return gf.geodatabase_zip(tmp_path_factory.mktemp("gdb"))


def plan(path, layer=None):
    return plan_import(path, load_landuse_table(), ImportOptions(layer=layer))


@pytest.mark.parametrize(("layer", "codes"), [
    ("parcels_2024", ["HS-01", "HS-02", "HS-03"]),
    ("parcels_2025", ["HS-01", "HS-02"]),
])
def test_geodatabase_layer_imports_with_chinese_text(gdb_zip, layer, codes):
    result = plan(gdb_zip, layer)
    assert sorted(result.parcels["code"]) == codes
    assert result.report.file_format == "File Geodatabase" and result.report.layer == layer
    assert "EPSG:4549" in result.report.crs
    assert result.parcels.set_index("code").loc["HS-02", "street"] == "塘西街道"


def test_geodatabase_area_is_computed_in_metres(gdb_zip):
    areas = plan(gdb_zip, "parcels_2025").parcels.set_index("code")["area_m2"]
    assert 9_000 < areas["HS-01"] < 11_000  # 0.001° × 0.0009° at 31.7° N: about 95 m × 100 m


def test_geodatabase_lists_its_layers(gdb_zip):
    assert dataset_layers(gdb_zip) == list(gf.LAYERS)


@pytest.mark.parametrize(("layer", "message"), [
    (None, "holds 2 layers (parcels_2024, parcels_2025); choose one with --layer"),
    ("parcels_2026", "no polygon layer “parcels_2026”; layers: parcels_2024, parcels_2025"),
])
def test_geodatabase_layer_choice_is_explained(gdb_zip, layer, message):
    with pytest.raises(DataFileError, match=r"^bureau\.gdb\.zip: ") as refused:
        plan(gdb_zip, layer)
    assert message in str(refused.value)


@pytest.mark.parametrize(("damage", "message"), [
    ("no_catalog", "is not a File Geodatabase (no a00000001.gdbtable catalog)"),
    ("catalog_header", "wrong catalog header"),
    ("sub_folder", "规划.gdb/inner is a folder"),
    ("truncated", "cannot be read"),
])
def test_damaged_geodatabase_is_refused(tmp_path, damage, message):
    with pytest.raises(DataFileError, match=rf"^{damage}\.gdb\.zip: ") as refused:
        plan(gf.damaged_geodatabase_zip(tmp_path, damage), "parcels_2024")
    assert message in str(refused.value)


@pytest.mark.parametrize(("extra", "message"), [
    ({"other.gdb/a00000001.gdbtable": b"\x03\x00\x00\x00"}, "holds 2 File Geodatabases"),
    ({"parcels.shp": b"\x00\x00\x27\x0a"}, "and parcels.shp; send one dataset per archive"),
    ({"规划.gdb/../../escape.txt": b"x"}, "points outside the archive"),
])
def test_geodatabase_archive_with_more_is_refused(tmp_path, extra, message):
    path = gf.geodatabase_zip(tmp_path, "mixed.zip", extra)
    with pytest.raises(DataFileError, match=r"^mixed\.zip: |archive entry") as refused:
        plan(path, "parcels_2024")
    assert message in str(refused.value)


# Through the web upload.

def test_web_geodatabase_upload_offers_its_layers(editor_client, gdb_zip):
    html = editor_client.get(preview_url(upload(editor_client, gdb_zip))).get_data(as_text=True)
    assert 'id="import-error"' in html
    assert '<option value="parcels_2024"' in html and '<option value="parcels_2025"' in html


@pytest.mark.parametrize(("layer", "accepted"), [("parcels_2024", 3), ("parcels_2025", 2)])
def test_web_geodatabase_layer_previews_and_imports(editor_client, staff_store, gdb_zip, layer,
                                                    accepted):
    url = preview_url(upload(editor_client, gdb_zip, layer=layer))
    assert f'data-accepted="{accepted}"' in editor_client.get(url).get_data(as_text=True)
    response = editor_client.post(f"/imports/{token_of(url)}/confirm",
                                  data={"csrf_token": csrf_token(editor_client, "/imports/"),
                                        "mode": "upsert", "layer": layer})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert staff_store.get("HS-02").street == "塘西街道"
    assert (staff_store.get("HS-03") is not None) == (accepted == 3)
