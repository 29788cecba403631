"""`landgis import` and `landgis init --from` with hostile files (issue 14): GDAL tricks are
refused without leaking what they tried to read, hostile text is stored as plain text."""

import pytest

from tests.conftest import DATA, make_app
from tests.hostile import HOSTILE, write_hostile_district
from tests.importing import hostile_files as hf
from webapp.cli import main
from webapp.domain.filters import ParcelFilter


def test_cli_hostile_import_is_refused_without_leaking(runner, attack):
    path, words = attack
    result = runner.invoke(main, ["import", str(path)])
    assert result.exit_code == 1, result.output
    assert words in result.output and "Nothing was written." in result.output
    assert hf.SECRET not in result.output and "root:x:" not in result.output


def test_cli_hostile_geopackage_is_refused(runner, evil_gpkg):
    path, words = evil_gpkg
    result = runner.invoke(main, ["import", str(path), "--dry-run"])
    assert result.exit_code == 1 and words in result.output


def test_cli_init_from_hostile_file_is_refused(runner, attack, tmp_path):
    path, _words = attack
    result = runner.invoke(main, ["init", "--from", str(path)])
    assert result.exit_code != 0
    assert hf.SECRET not in result.output and "root:x:" not in result.output


@pytest.fixture
def hostile_file(tmp_path):
    """The hostile-strings district (tests/hostile.py) as a GeoJSON file."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    return write_hostile_district(folder)


def test_cli_hostile_district_imports(runner, tmp_path, hostile_file):
    result = runner.invoke(main, ["import", str(hostile_file), "--mode", "replace"])
    assert result.exit_code == 0, result.output
    assert "X49Y" not in result.output
    app = make_app(tmp_path / "check", DATA / "small.geojson",
                   INSTANCE_PATH=str(tmp_path / "instance"))
    stored = app.extensions["landgis.store"].query(ParcelFilter(include_drafts=True)).parcels
    assert {p.note for p in stored} == set(HOSTILE.values())
