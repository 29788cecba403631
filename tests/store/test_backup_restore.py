"""Backups and restores through `store.backups` on both backends: a backup holds what the store
held; a restore brings back parcels, versions, audit trail and accounts, keeps the current
content aside, and another store object already reading (as another server process would)
answers from the restored content at once, its caches included."""

import psycopg
import pytest

from tests.store.conftest import prepared_small
from tests.store.postgis_fixtures import postgis_url
from webapp.domain.audit import ChangeFilter
from webapp.domain.filters import ParcelFilter
from webapp.store import GeoPackageStore
from webapp.store.backup_run import make_backup, restore_backup
from webapp.store.backup_store import BackupError
from webapp.store.postgis import PostGISStore
from webapp.store.store_counts import count_store

READS_TO_PREPARE = 6  # psycopg prepares a statement on its 5th run: later ones use the plan


def other_object(store):
    """A second store object on the same store, with its own connections and caches."""
    if isinstance(store, GeoPackageStore):
        return GeoPackageStore(store.path)
    return PostGISStore(f"{store.location.conninfo}?schema={store.location.schema}")


def snapshot(store) -> tuple:
    parcels = store.query(ParcelFilter(include_drafts=True), with_geometry=False).parcels
    return ({p.code: p.version for p in parcels},
            [(c.parcel_code, c.field, c.version) for c in store.changes(ChangeFilter()).changes],
            sorted(u.name for u in store.staff.users()),
            store.landuse_breakdown(ParcelFilter(include_drafts=True)))


def other_district():
    frame = prepared_small().iloc[:2].copy()
    frame["code"] = ["X-001", "X-002"]
    return frame


@pytest.fixture
def edited(store):
    """A store with an account and two audited edits."""
    store.ensure_schema()
    store.staff.add_user("alice", "admin", "hash")
    first = store.get("T-001", include_drafts=True)
    first = store.update_parcel(first.id, {"status": "洽谈中"}, first.version, "alice", "edit")
    store.update_parcel(first.id, {"contact": "招商局"}, first.version, "alice", "edit")
    yield store
    if isinstance(store, PostGISStore):
        with psycopg.connect(postgis_url(), autocommit=True) as conn:
            for (name,) in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
                                        (f"{store.location.schema}_before_restore_%",)):
                conn.execute(f'DROP SCHEMA "{name}" CASCADE')


def test_backup_holds_what_the_store_held(edited, tmp_path):
    result = make_backup(edited, tmp_path / "backups", keep=3)
    assert result.counts == count_store(edited)
    assert result.counts.parcels == 4 and result.counts.audit_records == 2
    assert edited.backups.inspect(result.path) == result.counts


def test_restore_brings_everything_back_to_a_reading_process(edited, tmp_path):
    before = snapshot(edited)
    backup = make_backup(edited, tmp_path / "backups", keep=3).path
    reader = other_object(edited)
    for _ in range(READS_TO_PREPARE):
        assert snapshot(reader) == before
    edited.replace_all(other_district())
    edited.staff.add_user("bob", "editor", "hash")
    replaced = snapshot(reader)
    assert set(replaced[0]) == {"X-001", "X-002"}
    result = restore_backup(edited, backup, tmp_path / "aside")
    assert result.before.parcels == 2 and result.after.parcels == 4
    assert snapshot(edited) == before
    assert snapshot(reader) == before  # its connections and kept summaries: the restored ones
    reader.close()


def test_restore_keeps_the_current_content_aside(edited, tmp_path):
    backup = make_backup(edited, tmp_path / "backups", keep=3).path
    edited.replace_all(other_district())
    kept = restore_backup(edited, backup, tmp_path / "aside").kept_aside
    if isinstance(edited, GeoPackageStore):
        [aside] = (tmp_path / "aside").glob("before-restore-landgis-parcels-*.gpkg")
        assert str(aside) == kept
        assert {p.code for p in GeoPackageStore(aside).query(ParcelFilter()).parcels} == \
            {"X-001", "X-002"}
    else:
        schema = kept.split()[1]
        with psycopg.connect(postgis_url()) as conn:
            rows = conn.execute(f'SELECT code FROM "{schema}".parcels ORDER BY code').fetchall()
        assert rows == [("X-001",), ("X-002",)]


def test_restore_refuses_a_file_of_the_other_backend(edited, tmp_path):
    wrong = tmp_path / ("x.dump" if isinstance(edited, GeoPackageStore) else "x.gpkg")
    wrong.write_bytes(b"PGDMP" + b"\0" * 100)
    with pytest.raises(BackupError):
        restore_backup(edited, wrong, tmp_path / "aside")
    assert edited.count() == 4
