"""The store URL's password never reaches a page, an API error or the log (503 included)."""

import logging

import pytest
from psycopg.conninfo import conninfo_to_dict

from tests.conftest import DATA, make_app
from webapp.domain.errors import ConfigError
from webapp.store.postgis.location import parse_postgis_url


def password_forms(app) -> list[str]:
    """How the store's password would appear in a URL or a key=value connection string."""
    password = conninfo_to_dict(app.extensions["landgis.store"].location.conninfo)["password"]
    return [f":{password}@", f"password={password}"]


def test_store_url_503_page_and_log_hide_the_password(pg_app, caplog):
    store = pg_app.extensions["landgis.store"]
    client = pg_app.test_client()
    assert client.get("/api/collections/parcels/items/1").status_code == 200
    with store.database.autocommit() as conn:
        reading = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    with store.database.transaction() as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (reading,))
    caplog.set_level(logging.DEBUG)
    lost = client.get("/api/collections/parcels/items/1")
    assert lost.status_code == 503
    for form in password_forms(pg_app):
        assert form not in lost.get_data(as_text=True) and form not in caplog.text


@pytest.mark.parametrize("url", [
    "mysql://gis:s3cret-Pw@db.example.test/land", "http://gis:s3cret-Pw@example.test/x",
    "postgres:/gis:s3cret-Pw@db.example.test/land",
    "postgresql://gis:s3cret-Pw@db.example.test/land?schema=Bad-Name&nosuch=1",
    "postgresql://gis:s3cret-Pw@db.example.test/land?nosuch=1",
])
def test_store_url_startup_error_hides_the_password(tmp_path, url):
    with pytest.raises(ConfigError, match="LANDGIS_STORE_URL") as raised:
        make_app(tmp_path, DATA / "small.geojson", STORE_URL=url)
    assert "s3cret-Pw" not in str(raised.value)


@pytest.mark.parametrize("path", ["/api/collections/parcels/items/1", "/parcels/T-001"])
def test_store_url_database_gone_after_start_is_a_503_naming_no_server(pg_app, path):
    store = pg_app.extensions["landgis.store"]
    store.close()  # as a worker process forked from the one that started the app
    store.database.location = parse_postgis_url(
        "postgresql://landgis_test:s3cret-Pw@127.0.0.1:1/gone?connect_timeout=1&schema=lg")
    response = pg_app.test_client().get(path)
    body = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "127.0.0.1" not in body and "s3cret-Pw" not in body and "landgis_test" not in body
