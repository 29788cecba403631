"""The store contract suite runs against every backend in BACKENDS (GeoPackage and PostGIS)."""

from contextlib import ExitStack
from functools import cache

import pytest

from tests.conftest import DATA
from tests.store.postgis_fixtures import postgis_store
from webapp.domain.landuse import load_landuse_table
from webapp.importing.pipeline import plan_strict_import
from webapp.store import GeoPackageStore


@cache
def _small_plan():
    return plan_strict_import(DATA / "small.geojson", load_landuse_table()).parcels


def prepared_small():
    """The four test parcels as an import prepares them, read once per session; each call
    gives its own copy (callers change it)."""
    return _small_plan().copy()


def _geopackage(tmp_path):
    return GeoPackageStore(tmp_path / "parcels.gpkg")


def _postgis(tmp_path):
    return postgis_store()  # a fresh schema, dropped after the test


# name -> factory(tmp_path) giving a store, or a context manager that yields one and cleans up
BACKENDS = {"geopackage": _geopackage, "postgis": _postgis}


@pytest.fixture(params=sorted(BACKENDS))
def empty_store(request, tmp_path):
    """A store of each backend with no parcels yet."""
    made = BACKENDS[request.param](tmp_path)
    with ExitStack() as cleanup:
        yield cleanup.enter_context(made) if hasattr(made, "__enter__") else made


@pytest.fixture
def store(empty_store):
    """A store of each backend holding the four-parcel test district."""
    empty_store.replace_all(prepared_small())
    return empty_store


@pytest.fixture
def pg():
    """A PostGIS store holding the four-parcel test district, with its staff tables."""
    with postgis_store() as store:
        store.replace_all(prepared_small())
        store.ensure_schema()
        yield store


@pytest.fixture
def gpkg(tmp_path):
    """A GeoPackage store with the four test parcels and its full schema (staff, tiles)."""
    store = GeoPackageStore(tmp_path / "parcels.gpkg")
    store.replace_all(prepared_small())
    store.ensure_schema()
    return store
