"""`landgis import x.gdb.zip --layer NAME` (issue 19 §3): each layer of a zipped File
Geodatabase imports; without --layer the layers are listed and nothing is written."""

import pytest

from tests.cli.test_import_command import codes, stored
from tests.importing import geodatabase_files as gf
from webapp.cli import main

SEEDED = ["T-001", "T-002", "T-003", "T-004"]


@pytest.fixture(scope="module")
def gdb_zip(tmp_path_factory):
    """The zipped two-layer File Geodatabase (read only by the tests)."""
    return gf.geodatabase_zip(tmp_path_factory.mktemp("gdb"))


@pytest.mark.parametrize(("layer", "new"), [("parcels_2024", ["HS-01", "HS-02", "HS-03"]),
                                            ("parcels_2025", ["HS-01", "HS-02"])])
def test_cli_geodatabase_layer_imports(runner, tmp_path, gdb_zip, layer, new):
    result = runner.invoke(main, ["import", str(gdb_zip), "--layer", layer])
    assert result.exit_code == 0, result.output
    assert "File Geodatabase" in result.output
    store = stored(tmp_path)
    assert codes(store) == new + SEEDED
    assert store.get("HS-01").street == "金家庄街道"


def test_cli_geodatabase_without_layer_lists_layers(runner, tmp_path, gdb_zip):
    result = runner.invoke(main, ["import", str(gdb_zip)])
    assert result.exit_code != 0
    assert "parcels_2024, parcels_2025" in result.output and "--layer" in result.output
    assert "Nothing was written." in result.output
    assert codes(stored(tmp_path)) == SEEDED
