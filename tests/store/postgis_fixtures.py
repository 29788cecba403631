"""PostGIS test stores: each in its own schema, dropped afterwards.

The database comes from LANDGIS_TEST_POSTGIS_URL (`make test` starts a local one). Without it,
or when it cannot be reached, PostGIS tests skip, except under CI, where they fail.
"""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import psycopg
import pytest

from webapp.store.postgis import PostGISStore

URL_VARIABLE = "LANDGIS_TEST_POSTGIS_URL"


@cache
def _unavailable_reason() -> str | None:
    url = os.environ.get(URL_VARIABLE)
    if not url:
        return f"{URL_VARIABLE} is not set"
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("SELECT postgis_version()")
    except psycopg.Error as error:
        return f"PostGIS at {URL_VARIABLE} is unusable: {str(error).strip()}"
    return None


def postgis_url() -> str:
    """The test database URL; skips the test without one (fails it when CI is set)."""
    reason = _unavailable_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI must run the PostGIS tests)")
        pytest.skip(reason)
    return os.environ[URL_VARIABLE]


def with_schema(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}schema={schema}"


def drop_schema(url: str, schema: str) -> None:
    """Drop a test schema and everything in it."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@contextmanager
def postgis_schema_url() -> Iterator[str]:
    """A store URL naming a fresh schema (landgis_t_<random>), dropped on exit."""
    url = postgis_url()
    schema = f"landgis_t_{secrets.token_hex(6)}"
    try:
        yield with_schema(url, schema)
    finally:
        drop_schema(url, schema)


@contextmanager
def postgis_store() -> Iterator[PostGISStore]:
    """An empty PostGIS store in a fresh schema; its pool is closed and schema dropped on exit."""
    with postgis_schema_url() as url:
        store = PostGISStore(url)
        try:
            yield store
        finally:
            store.close()
