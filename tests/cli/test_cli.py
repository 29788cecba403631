"""The landgis command line: init, info, and refusing bad files without touching the store."""

import hashlib
import re

import pytest
from click.testing import CliRunner

from tests.conftest import DATA, SAMPLE
from webapp.cli import main


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.setenv("LANDGIS_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("LANDGIS_SECRET_KEY", raising=False)
    return CliRunner()


def test_cli_init_writes_secret_and_loads_sample(runner, tmp_path):
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    config = (tmp_path / "instance" / "landgis.toml").read_text()
    assert re.search(r'secret_key = "[0-9a-f]{64}"', config)
    assert "Loaded 360 parcels" in result.output


def test_cli_init_twice_keeps_existing_store(runner):
    runner.invoke(main, ["init"])
    result = runner.invoke(main, ["init"])
    assert "already exists (360 parcels)" in result.output


def test_cli_info_prints_count_and_breakdown_in_mu(runner):
    runner.invoke(main, ["init"])
    result = runner.invoke(main, ["info"])
    assert result.exit_code == 0, result.output
    count = int(re.search(r"Parcels: (\d+)", result.output).group(1))
    assert count >= 300
    assert re.search(r"100101\s+一类工业用地\s+\d+\s+[\d,]+\.\d\d 亩", result.output)


def test_cli_info_english_names(runner):
    runner.invoke(main, ["init"])
    assert "Class I industrial land" in runner.invoke(main, ["info", "--lang", "en"]).output


def test_cli_init_from_file_replaces_parcels(runner):
    runner.invoke(main, ["init"])
    result = runner.invoke(main, ["init", "--from", str(DATA / "small.geojson")])
    assert "Loaded 4 parcels" in result.output


@pytest.mark.parametrize(("name", "message"), [
    ("malformed.geojson", "invalid JSON at line"),
    ("point.geojson", "feature 2: geometry is a Point, not a polygon"),
    ("duplicate_code.geojson", "duplicate code"),
])
def test_cli_init_bad_file_leaves_store_untouched(runner, tmp_path, name, message):
    runner.invoke(main, ["init"])
    store = tmp_path / "instance" / "landgis.gpkg"
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    result = runner.invoke(main, ["init", "--from", str(DATA / name)])
    assert result.exit_code != 0
    assert message in result.output and "The store was not changed." in result.output
    assert "Traceback" not in result.output
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before


def test_cli_without_secret_key_explains_how_to_fix(runner):
    result = runner.invoke(main, ["info"])
    assert result.exit_code != 0
    assert "landgis init" in result.output


def test_cli_help_before_init_lists_every_command_without_a_traceback(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "Traceback" not in result.output
    assert "landgis init" in result.output  # the note saying why the app did not load
    for command in ("init", "serve", "import", "info", "user"):
        assert re.search(rf"^  {command} ", result.output, re.MULTILINE), command


def test_cli_sample_file_is_the_bundled_one():
    assert SAMPLE.is_file()
