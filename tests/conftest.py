"""Shared fixtures: an app on a tmp_path copy of a test data file, its client and its store."""

import shutil
from pathlib import Path

import pytest

from tests.seeded_stores import create_seeded_app, snapshot_key
from webapp import create_app

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = Path(__file__).resolve().parents[1] / "geodata" / "sample" / "parcels.geojson"
# staff accounts, logins, forms (issue 5); parcel files for the import and CLI tests
pytest_plugins = ["tests.editing_fixtures", "tests.file_fixtures"]


def make_app(tmp_path: Path, source: Path, **settings):
    """An app whose store is created from a tmp_path copy of `source` (each file imported once
    per session and the store copied after: tests/seeded_stores.py)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    config = {"TESTING": True, "SECRET_KEY": "test", "INSTANCE_PATH": str(tmp_path / "instance"),
              "SAMPLE_PATH": str(copy), "BASEMAP_URL": "https://tiles.example.test/{z}/{x}/{y}.png",
              **settings}
    return create_seeded_app(create_app, config, snapshot_key(copy, settings))


@pytest.fixture
def small_app(tmp_path):
    """App on the four-parcel test district (tests/data/small.geojson)."""
    return make_app(tmp_path, DATA / "small.geojson")


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory):
    """App on the bundled sample district; read-only tests share it per module."""
    return make_app(tmp_path_factory.mktemp("sample"), SAMPLE)


@pytest.fixture
def client(small_app):
    """Test client of the small district app."""
    return small_app.test_client()


@pytest.fixture
def sample_client(sample_app):
    """Test client of the sample district app."""
    return sample_app.test_client()


@pytest.fixture
def small_store(small_app):
    """The parcel store of the small district app."""
    return small_app.extensions["landgis.store"]
