"""Schema versions and migrations: every store of tests/data/stores (one per released schema
version, written by scripts/write_store_fixtures.py) opens and upgrades with its parcels,
versions, audit trail, accounts, context layers and pipeline intact, on both backends; a store
newer than the code is refused; a failed migration leaves the previous version."""

import gzip
import importlib
import json
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from tests.store.postgis_fixtures import drop_schema, postgis_url, with_schema
from webapp.store import GeoPackageStore, schema_check
from webapp.store.migrations import (
    Migration,
    SchemaOutdatedError,
    SchemaTooNewError,
    all_migrations,
)
from webapp.store.postgis import PostGISStore
from webapp.store.schema_check import prepare_schema
from webapp.store.schema_version import CURRENT_SCHEMA_VERSION, META_TABLE

STORES = Path(__file__).resolve().parents[1] / "data" / "stores"
VERSIONS = sorted(int(p.stem.removeprefix("landgis-v")) for p in STORES.glob("landgis-v*.json"))
with pytest.MonkeyPatch.context() as patch:  # scripts/ is not a package
    patch.syspath_prepend(str(STORES.parents[2] / "scripts"))
    describe = importlib.import_module("write_store_fixtures").describe


def expected(version: int) -> dict:
    """What the version's store holds after upgrading (import profiles came with version 2:
    an older store has none)."""
    return {"import_profiles": [],
            **json.loads((STORES / f"landgis-v{version}.json").read_text(encoding="utf-8"))}


def unpacked_geopackage(version: int, folder: Path) -> Path:
    """A copy of the version's GeoPackage fixture to open and change."""
    path = folder / f"landgis-v{version}.gpkg"
    with gzip.open(STORES / f"{path.name}.gz", "rb") as packed, open(path, "wb") as raw:
        shutil.copyfileobj(packed, raw)
    return path


def loaded_postgis(version: int) -> str:
    """The version's PostGIS fixture loaded into its schema (landgis_fixture_vN); the URL."""
    url, schema = postgis_url(), f"landgis_fixture_v{version}"
    drop_schema(url, schema)
    subprocess.run(["psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
                    "--single-transaction", f"--dbname={url}",
                    f"--file={STORES / f'landgis-v{version}-postgis.sql'}"],
                   check=True, capture_output=True)
    return with_schema(url, schema)


def test_fixtures_cover_every_schema_version():
    assert list(range(1, CURRENT_SCHEMA_VERSION + 1)) == VERSIONS


def test_migrations_number_every_version_once():
    assert [m.version for m in all_migrations()] == VERSIONS


@pytest.mark.parametrize("version", VERSIONS)
def test_geopackage_fixture_upgrades_intact(version, tmp_path):
    store = GeoPackageStore(unpacked_geopackage(version, tmp_path))
    store.migrate()
    assert store.schema_version() == CURRENT_SCHEMA_VERSION
    assert describe(store) == expected(version)


def test_geopackage_from_before_version_records_upgrades_intact(tmp_path):
    path = unpacked_geopackage(1, tmp_path)
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(f"DROP TABLE {META_TABLE}")
        db.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (META_TABLE,))
    store = GeoPackageStore(path)
    assert store.schema_version() == 0
    assert store.migrate() == list(range(1, CURRENT_SCHEMA_VERSION + 1))
    assert store.schema_version() == CURRENT_SCHEMA_VERSION
    assert describe(store) == expected(1)


@pytest.mark.parametrize("version", VERSIONS)
def test_postgis_fixture_upgrades_intact(version):
    url = loaded_postgis(version)
    store = PostGISStore(url)
    try:
        store.migrate()
        assert store.schema_version() == CURRENT_SCHEMA_VERSION
        assert describe(store) == expected(version)
    finally:
        store.close()
        drop_schema(postgis_url(), f"landgis_fixture_v{version}")


def newer_store(store, version: int) -> None:
    """Record a schema version this code does not know."""
    if isinstance(store, GeoPackageStore):
        with closing(sqlite3.connect(store.path)) as db, db:
            db.execute(f"UPDATE {META_TABLE} SET value = ?", (str(version),))
    else:
        with store.database.transaction() as conn:
            conn.execute(f"UPDATE {store.location.table(META_TABLE)} SET value = %s",
                         (str(version),))


def test_store_newer_than_code_is_refused(store):
    store.ensure_schema()
    newer_store(store, CURRENT_SCHEMA_VERSION + 1)
    with pytest.raises(SchemaTooNewError, match="newer landgis"):
        store.migrate()
    assert store.schema_version() == CURRENT_SCHEMA_VERSION + 1


NEXT = CURRENT_SCHEMA_VERSION + 1


def _add_marker_table(db, *_):
    db.execute("CREATE TABLE landgis_marker_next (id INTEGER)")


def _fail(*_):
    raise RuntimeError("the next migration failed")


def _postgis_marker(conn, location):
    conn.execute(f"CREATE TABLE {location.table('landgis_marker_next')} (id integer)")


def test_next_migration_applies_once_and_records_its_version(store):
    store.ensure_schema()
    following = Migration(NEXT, "a marker table", _add_marker_table, _postgis_marker)
    migrations = (*all_migrations(), following)
    assert store.migrate(migrations) == [NEXT]
    assert store.schema_version() == NEXT
    assert store.migrate(migrations) == []  # the marker table exists once


def test_failed_migration_leaves_previous_version(store):
    store.ensure_schema()
    broken = Migration(NEXT, "fails halfway", _fail, _fail)
    with pytest.raises(RuntimeError, match="the next migration failed"):
        store.migrate((*all_migrations(), broken))
    assert store.schema_version() == CURRENT_SCHEMA_VERSION
    assert store.count() == 4


def test_outdated_store_refuses_to_start_unless_migrating_on_start(gpkg, monkeypatch):
    monkeypatch.setattr(schema_check, "CURRENT_SCHEMA_VERSION", CURRENT_SCHEMA_VERSION + 1)
    with pytest.raises(SchemaOutdatedError, match=r"landgis backup.*landgis migrate"):
        prepare_schema(gpkg, migrate_on_start=False)
    prepare_schema(gpkg, migrate_on_start=True)  # runs the migrations this code has


def test_newer_store_refuses_to_start(gpkg):
    newer_store(gpkg, CURRENT_SCHEMA_VERSION + 1)
    with pytest.raises(SchemaTooNewError, match="newer than this landgis"):
        prepare_schema(gpkg, migrate_on_start=True)
