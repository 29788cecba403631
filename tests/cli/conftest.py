"""Fixtures of the `landgis` command-line tests (the parcel files come from tests/file_fixtures)."""

import pytest
from click.testing import CliRunner

from tests.conftest import DATA


@pytest.fixture
def runner(tmp_path, monkeypatch):
    """A CLI runner whose landgis uses a tmp instance folder seeded from small.geojson."""
    monkeypatch.setenv("LANDGIS_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("LANDGIS_SECRET_KEY", "test-secret")
    monkeypatch.setenv("LANDGIS_SAMPLE_PATH", str(DATA / "small.geojson"))
    return CliRunner()
