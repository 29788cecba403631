"""PostGIS store URLs (no database needed) and the skip-or-fail rule of the PostGIS tests."""

import pytest
from psycopg.conninfo import conninfo_to_dict

from tests.store import postgis_fixtures
from webapp.domain.errors import ConfigError
from webapp.store import open_store
from webapp.store.postgis import PostGISStore
from webapp.store.postgis.location import parse_postgis_url

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
    assert redacted == "postgresql://gis:***@db.example.test:5433/land?schema=landgis"


# Every libpq URI form (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS)
# reaches psycopg unchanged but for landgis's own `schema` parameter.
@pytest.mark.parametrize(("url", "conninfo", "schema"), [
    ("postgresql:///landgis?schema=landgis", "postgresql:///landgis", "landgis"),
    ("postgresql://", "postgresql://", "public"),
    ("postgresql:///landgis", "postgresql:///landgis", "public"),
    ("postgresql:///landgis?host=/var/run/postgresql&schema=lg",
     "postgresql:///landgis?host=/var/run/postgresql", "lg"),
    ("postgresql://landgis_test:landgis_test@/landgis_test?host=%2Fvar%2Frun%2Fpostgresql"
     "&schema=lg", "postgresql://landgis_test:landgis_test@/landgis_test"
     "?host=%2Fvar%2Frun%2Fpostgresql", "lg"),
    ("postgres://u:p%40ss%3Fw%26rd@db:5432/land?schema=lg",
     "postgres://u:p%40ss%3Fw%26rd@db:5432/land", "lg"),
    ("postgresql://u@h1:5432,h2:5433/land?target_session_attrs=read-write&schema=lg",
     "postgresql://u@h1:5432,h2:5433/land?target_session_attrs=read-write", "lg"),
    ("postgresql://[::1]:5432/land?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem",
     "postgresql://[::1]:5432/land?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem", "public"),
    ("postgresql:///land?sch%65ma=lg&application_name=a%20b",
     "postgresql:///land?application_name=a%20b", "lg"),
])
def test_postgis_url_keeps_every_libpq_form(url, conninfo, schema):
    location = parse_postgis_url(url)
    assert (location.conninfo, location.schema) == (conninfo, schema)


@pytest.mark.parametrize(("url", "expected"), [
    ("postgresql:///landgis?schema=landgis", {"dbname": "landgis"}),
    ("postgresql:///landgis?host=/var/run/postgresql",
     {"dbname": "landgis", "host": "/var/run/postgresql"}),
    ("postgres://u:p%40ss@db/land?schema=lg",
     {"user": "u", "password": "p@ss", "host": "db", "dbname": "land"}),
])
def test_postgis_url_means_to_libpq_what_it_says(url, expected):
    assert conninfo_to_dict(parse_postgis_url(url).conninfo) == expected


@pytest.mark.parametrize("url", [
    "postgresql://gis:s3cret-pw@db/land?nosuchoption=1",
    "postgresql://gis:s3cret-pw@db/land?schema=lg&host",
])
def test_postgis_url_refuses_what_libpq_refuses_without_showing_the_password(url):
    with pytest.raises(ConfigError, match="LANDGIS_STORE_URL") as raised:
        parse_postgis_url(url)
    assert "s3cret-pw" not in str(raised.value)


def test_postgis_table_names_are_schema_qualified():
    assert parse_postgis_url(URL + "?schema=lg").table("parcels") == '"lg"."parcels"'


@pytest.mark.parametrize("url", [URL, URL.replace("postgresql", "postgres")])
def test_open_store_gives_postgis_store_without_connecting(url, tmp_path):
    store = open_store(url, tmp_path)
    assert isinstance(store, PostGISStore) and store.database._pool is None


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
