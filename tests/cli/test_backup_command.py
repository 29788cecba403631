"""`landgis backup`, `landgis restore` and `landgis migrate` on a GeoPackage store: verified,
well-named backups with retention; no partial file that looks complete; restores that bring
back the old content, keep the current one aside and say what changed; clear one-line errors."""

import json
import re
import sqlite3
from contextlib import closing

import psycopg
import pytest

from tests.conftest import DATA
from tests.store.postgis_fixtures import postgis_schema_url, postgis_url
from webapp.cli import main
from webapp.domain.filters import ParcelFilter
from webapp.store import GeoPackageStore
from webapp.store.backup_files import NAME, PARTIAL_PREFIX, finished_backups
from webapp.store.schema_version import CURRENT_SCHEMA_VERSION, META_TABLE


@pytest.fixture
def ready(runner, tmp_path):
    """A runner whose instance holds the four-parcel store."""
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    return runner


def instance(tmp_path):
    return tmp_path / "instance"


def backups(tmp_path):
    return finished_backups(instance(tmp_path) / "backups", "landgis", ".gpkg")


def other_district(tmp_path):
    """The test parcels under other codes: a different district to import."""
    data = json.loads((DATA / "small.geojson").read_text(encoding="utf-8"))
    for feature in data["features"][:3]:
        feature["properties"]["code"] = feature["properties"]["code"].replace("T-", "X-")
    data["features"] = data["features"][:3]
    path = tmp_path / "other.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def codes(tmp_path) -> set[str]:
    store = GeoPackageStore(instance(tmp_path) / "landgis.gpkg")
    return {p.code for p in store.query(ParcelFilter(include_drafts=True)).parcels}


def test_backup_writes_a_verified_named_file(ready, tmp_path):
    result = ready.invoke(main, ["backup"])
    assert result.exit_code == 0, result.output
    [path] = backups(tmp_path)
    match = NAME.fullmatch(path.name)
    assert match["store"] == "landgis" and int(match["version"]) == CURRENT_SCHEMA_VERSION
    assert "parcels: 4" in result.output and "verified" in result.output
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert db.execute("SELECT COUNT(*) FROM parcels").fetchone() == (4,)


def test_backup_to_a_given_folder(ready, tmp_path):
    result = ready.invoke(main, ["backup", str(tmp_path / "elsewhere")])
    assert result.exit_code == 0, result.output
    made = (tmp_path / "elsewhere").glob(f"landgis-landgis-*-v{CURRENT_SCHEMA_VERSION}.gpkg")
    assert len(list(made)) == 1


def test_backup_keeps_the_newest(ready, tmp_path, monkeypatch):
    monkeypatch.setenv("LANDGIS_BACKUP_KEEP", "2")
    for _ in range(3):
        assert ready.invoke(main, ["backup"]).exit_code == 0
    kept = backups(tmp_path)
    assert len(kept) == 2
    assert "Removed old backup" in ready.invoke(main, ["backup"]).output
    assert backups(tmp_path)[0] == kept[1]


def test_backup_removes_partial_files_of_killed_runs(ready, tmp_path):
    folder = instance(tmp_path) / "backups"
    folder.mkdir()
    leftover = folder / f"{PARTIAL_PREFIX}0123abcd.gpkg"
    leftover.write_bytes(b"SQLite format 3\x00 half written")
    assert NAME.fullmatch(leftover.name) is None
    assert ready.invoke(main, ["backup"]).exit_code == 0
    assert not leftover.exists() and len(backups(tmp_path)) == 1


def test_backup_before_init_is_a_clear_error(runner):
    result = runner.invoke(main, ["backup"])
    assert result.exit_code == 1 and "landgis init" in result.output
    assert "Traceback" not in result.output


def test_restore_brings_back_the_backed_up_store(ready, tmp_path):
    ready.invoke(main, ["backup"])
    imported = ready.invoke(main, ["import", str(other_district(tmp_path)), "--mode", "replace"])
    assert imported.exit_code == 0, imported.output
    assert codes(tmp_path) == {"X-001", "X-002", "X-003"}
    [backup] = backups(tmp_path)
    result = ready.invoke(main, ["restore", "--yes", str(backup)])
    assert result.exit_code == 0, result.output
    assert codes(tmp_path) == {"T-001", "T-002", "T-003", "T-004"}
    assert "parcels: 3 → 4" in result.output
    [aside] = (instance(tmp_path) / "backups").glob("before-restore-*.gpkg")
    with closing(sqlite3.connect(aside)) as db:
        assert db.execute("SELECT COUNT(*) FROM parcels").fetchone() == (3,)


def test_restore_asks_first(ready, tmp_path):
    ready.invoke(main, ["backup"])
    [backup] = backups(tmp_path)
    result = ready.invoke(main, ["restore", str(backup)], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output


def empty_file(path):
    path.write_bytes(b"")


def text_file(path):
    path.write_text("not a store", encoding="utf-8")


def truncated_backup(path, backup):
    path.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])


def other_geopackage(path, backup):
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE gpkg_contents (table_name TEXT)")


def newer_backup(path, backup):
    path.write_bytes(backup.read_bytes())
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(f"UPDATE {META_TABLE} SET value = ?", (str(CURRENT_SCHEMA_VERSION + 1),))


BAD_FILES = {"empty": (lambda p, b: empty_file(p), "not a GeoPackage"),
             "text": (lambda p, b: text_file(p), "not a GeoPackage"),
             "truncated": (truncated_backup, "integrity|cannot be read|malformed"),
             "not landgis": (other_geopackage, "not a landgis store"),
             "newer": (newer_backup, "newer than this landgis")}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_restore_refuses_a_bad_file(ready, tmp_path, case):
    ready.invoke(main, ["backup"])
    [backup] = backups(tmp_path)
    make, message = BAD_FILES[case]
    bad = tmp_path / "bad.gpkg"
    make(bad, backup)
    result = ready.invoke(main, ["restore", "--yes", str(bad)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.count("Error:") == 1
    assert re.search(message, result.output), result.output
    assert codes(tmp_path) == {"T-001", "T-002", "T-003", "T-004"}


def test_restore_of_a_missing_file_is_a_clear_error(ready, tmp_path):
    result = ready.invoke(main, ["restore", "--yes", str(tmp_path / "nothing.gpkg")])
    assert result.exit_code == 1 and "no backup file" in result.output


def test_migrate_on_a_current_store_does_nothing(ready):
    result = ready.invoke(main, ["migrate"])
    assert result.exit_code == 0 and "nothing to do" in result.output


def test_newer_store_is_refused_by_migrate_and_the_app(ready, tmp_path):
    with closing(sqlite3.connect(instance(tmp_path) / "landgis.gpkg")) as db, db:
        db.execute(f"UPDATE {META_TABLE} SET value = ?", (str(CURRENT_SCHEMA_VERSION + 1),))
    for command in (["migrate"], ["info"]):
        result = ready.invoke(main, command)
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert "newer" in result.output and result.output.count("Error:") == 1


@pytest.fixture
def postgis_ready(runner, monkeypatch):
    """A runner whose store is a fresh PostGIS schema holding the four test parcels."""
    with postgis_schema_url() as url:
        monkeypatch.setenv("LANDGIS_STORE_URL", url)
        assert runner.invoke(main, ["init"]).exit_code == 0
        yield runner
        drop_restore_asides(url)


def drop_restore_asides(url):
    schema = url.rpartition("schema=")[2]
    with psycopg.connect(postgis_url(), autocommit=True) as conn:
        for (name,) in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
                                    (f"{schema}_before_restore_%",)).fetchall():
            conn.execute(f'DROP SCHEMA "{name}" CASCADE')


def test_postgis_backup_and_restore(postgis_ready, tmp_path):
    result = postgis_ready.invoke(main, ["backup", str(tmp_path / "dumps")])
    assert result.exit_code == 0, result.output
    [dump] = (tmp_path / "dumps").glob(f"landgis-landgis_t_*-v{CURRENT_SCHEMA_VERSION}.dump")
    assert "parcels: 4" in result.output
    postgis_ready.invoke(main, ["import", str(other_district(tmp_path)), "--mode", "replace"])
    result = postgis_ready.invoke(main, ["restore", "--yes", str(dump)])
    assert result.exit_code == 0, result.output
    assert "parcels: 3 → 4" in result.output and "_before_restore_" in result.output


def test_postgis_backup_without_pg_dump_says_what_to_install(postgis_ready, tmp_path,
                                                             monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no PostgreSQL client tools
    result = postgis_ready.invoke(main, ["backup", str(tmp_path / "dumps")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "pg_dump is not installed" in result.output and "postgresql-client" in result.output
    assert not list((tmp_path / "dumps").glob("landgis-*"))
