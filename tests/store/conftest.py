"""The store contract suite runs against every backend listed in `store` (GeoPackage today)."""

import pytest

from tests.conftest import DATA
from webapp.domain.landuse import load_landuse_table
from webapp.importing.prepare import prepare_parcels
from webapp.importing.reader import read_parcel_file
from webapp.store import GeoPackageStore


def prepared_small():
    return prepare_parcels(read_parcel_file(DATA / "small.geojson"), load_landuse_table())


def _geopackage(tmp_path):
    return GeoPackageStore(tmp_path / "parcels.gpkg")


BACKENDS = {"geopackage": _geopackage}


@pytest.fixture(params=sorted(BACKENDS))
def empty_store(request, tmp_path):
    """A store of each backend with no parcels yet."""
    return BACKENDS[request.param](tmp_path)


@pytest.fixture
def store(empty_store):
    """A store of each backend holding the four-parcel test district."""
    empty_store.replace_all(prepared_small())
    return empty_store
