"""PostGIS store URLs (no database needed) and the skip-or-fail rule of the PostGIS tests."""

import pytest

from tests.store import postgis_fixtures
from webapp.domain.errors import ConfigError
from webapp.store import open_store
from webapp.store.postgis import PostGISStore
from webapp.store.postgis_schema import parse_postgis_url

URL = "postgresql://gis:secret@db.example.test:5433/land"


@pytest.mark.parametrize(("url", "conninfo", "schema"), [
    (URL, URL, "public"),
    (URL + "?schema=landgis", URL, "landgis"),
    (URL + "?sslmode=require&schema=huashan_2025", URL + "?sslmode=require", "huashan_2025"),
])
def test_postgis_url_splits_schema_from_connection_string(url, conninfo, schema):
    location = parse_postgis_url(url)
    assert (location.conninfo, location.schema) == (conninfo, schema)


@pytest.mark.parametrize("schema", ["Landgis", "land-gis", "x;drop", "1abc", "", "a" * 64])
def test_postgis_url_refuses_schema_that_is_not_a_plain_name(schema):
    with pytest.raises(ConfigError, match="must be a lowercase name"):
        parse_postgis_url(f"{URL}?schema={schema}")


def test_postgis_url_redacted_hides_the_password():
    redacted = parse_postgis_url(URL + "?schema=landgis").redacted()
    assert redacted == "postgresql://gis@db.example.test:5433/land?schema=landgis"


def test_postgis_table_names_are_schema_qualified():
    assert parse_postgis_url(URL + "?schema=lg").table("parcels") == '"lg"."parcels"'


@pytest.mark.parametrize("url", [URL, URL.replace("postgresql", "postgres")])
def test_open_store_gives_postgis_store_without_connecting(url, tmp_path):
    store = open_store(url, tmp_path)
    assert isinstance(store, PostGISStore) and store._pool is None


@pytest.fixture
def fresh_availability():
    postgis_fixtures._unavailable_reason.cache_clear()
    yield
    postgis_fixtures._unavailable_reason.cache_clear()


def test_postgis_tests_skip_without_database(monkeypatch, fresh_availability):
    monkeypatch.delenv(postgis_fixtures.URL_VARIABLE, raising=False)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        postgis_fixtures.postgis_url()


def test_postgis_tests_fail_without_database_under_ci(monkeypatch, fresh_availability):
    monkeypatch.delenv(postgis_fixtures.URL_VARIABLE, raising=False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the PostGIS tests"):
        postgis_fixtures.postgis_url()
