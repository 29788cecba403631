"""Fixtures of the HTTP tests that need a PostGIS store (the GeoPackage ones are in tests/)."""

import pytest

from tests.conftest import DATA, make_app
from tests.store.postgis_fixtures import postgis_schema_url


@pytest.fixture
def pg_app(tmp_path):
    """The four-parcel app (AUTO_INIT from tests/data/small.geojson) on a fresh PostGIS schema."""
    with postgis_schema_url() as url:
        app = make_app(tmp_path, DATA / "small.geojson", STORE_URL=url)
        try:
            yield app
        finally:
            app.extensions["landgis.store"].close()
