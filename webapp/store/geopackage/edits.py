"""Versioned parcel edits and their audit trail in the GeoPackage, written in one transaction."""

import json
import sqlite3

from webapp.domain.audit import ChangeFilter, ChangePage, ParcelChange, utc_now_iso
from webapp.domain.edits import check_editable, next_version
from webapp.domain.errors import InvalidEditError
from webapp.domain.messages import N_
from webapp.domain.parcel import Parcel
from webapp.store.audit_rows import (
    CHANGE_COLUMNS,
    INSERTED_COLUMNS,
    AuditRow,
    created_rows,
    edit_rows,
)
from webapp.store.audit_rows import upsert_rows as upsert_audit_rows
from webapp.store.geopackage.database import GeoPackageFile
from webapp.store.geopackage.rows import read_parcel
from webapp.store.geopackage.staff import create_staff_tables
from webapp.store.geopackage.tile_tables import refresh_parcel_tiles
from webapp.store.records import FieldChange
from webapp.store.replace_audit import (
    BEFORE_TABLE,
    candidates_sql,
    fetched,
    lifecycle_sql,
    replacement_changes,
    snapshot_columns,
)
from webapp.store.sql_filter import change_where
from webapp.store.tables import PARCEL_CHANGES as CHANGES
from webapp.store.tables import PARCELS as LAYER

SQL_CHUNK = 5000  # parcel ids per IN (...) list (SQLite limits bound parameters)


def insert_changes(db: sqlite3.Connection, rows: list[AuditRow]) -> None:
    """Audit rows (webapp.store.audit_rows); old and new values are stored as JSON."""
    if not rows:
        return
    create_staff_tables(db)
    db.executemany(
        f"INSERT INTO {CHANGES} ({INSERTED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*row[:5], json.dumps(row[5], ensure_ascii=False),
          json.dumps(row[6], ensure_ascii=False), *row[7:]) for row in rows])


def _change(row: tuple) -> ParcelChange:
    values = list(row)
    values[6], values[7] = json.loads(values[6]), json.loads(values[7])
    return ParcelChange(*values)


def keep_before_import(db: sqlite3.Connection) -> int:
    """Copy every parcel's audited fields, version and update time into a temporary table
    (before an import replaces them); returns how many parcels there were."""
    db.execute(f"DROP TABLE IF EXISTS temp.{BEFORE_TABLE}")
    db.execute(f"CREATE TEMP TABLE {BEFORE_TABLE} AS SELECT {snapshot_columns('fid')} "
               f"FROM {LAYER}")
    db.execute(f"CREATE UNIQUE INDEX temp.{BEFORE_TABLE}_code ON {BEFORE_TABLE} (code)")
    return db.execute(f"SELECT COUNT(*) FROM temp.{BEFORE_TABLE}").fetchone()[0]


def audit_created(db: sqlite3.Connection, created: list[tuple[int, str]], actor: str,
                  source_name: str | None) -> None:
    """A `created` record for each parcel an import's upsert inserted ((id, code) pairs)."""
    insert_changes(db, created_rows(created, actor, source_name))


def audit_upsert(db: sqlite3.Connection, changes: list[FieldChange], actor: str) -> int:
    """Audit every field an import's upsert changed, in its transaction."""
    ids = sorted({change.parcel_id for change in changes})
    stored: dict[int, tuple[str, int]] = {}
    for start in range(0, len(ids), SQL_CHUNK):
        chunk = ids[start:start + SQL_CHUNK]
        stored.update((row[0], (row[1], row[2])) for row in db.execute(
            f"SELECT fid, code, version FROM {LAYER} WHERE fid IN ({', '.join('?' * len(chunk))})",
            chunk))
    rows = upsert_audit_rows(changes, stored, actor)
    insert_changes(db, rows)
    return len(rows)


def audit_replacement(db: sqlite3.Connection, kept: int, actor: str,
                      source_name: str | None = None) -> int:
    """After a replace-all whose parcels that stayed (same code) were written with their old
    version and time (keep_before_import first): those with a changed field get version + 1 and
    one audit record per changed field, so a form opened before the import cannot overwrite
    what the import changed; created and removed parcels get one record each."""
    try:
        if not kept:  # a first import: no parcel stayed
            return 0
        cursor = db.execute(candidates_sql(LAYER, f"temp.{BEFORE_TABLE}", "fid", "IS NOT"))
        now = utc_now_iso()
        versions, rows = replacement_changes(fetched(cursor), now, actor)
        db.executemany(f"UPDATE {LAYER} SET version = ?, updated_at = ? WHERE fid = ?",
                       [(version, stamp, parcel_id) for parcel_id, version, stamp in versions])
        insert_changes(db, rows)
        create_staff_tables(db)
        for sql in lifecycle_sql(LAYER, f"temp.{BEFORE_TABLE}", CHANGES, "fid", "?"):
            db.execute(sql, (now, actor, json.dumps(None),
                             json.dumps(source_name, ensure_ascii=False)))
        return len(rows)
    finally:
        db.execute(f"DROP TABLE IF EXISTS temp.{BEFORE_TABLE}")


def update_parcel(database: GeoPackageFile, parcel_id: int, changes: dict[str, object],
                  expected_version: int | None, actor: str, source: str) -> Parcel:
    """ParcelStore.update_parcel: the edit planned (domain.edits.next_version), written,
    its cached tiles dropped and the change audited in one write transaction."""
    check_editable(changes)
    with database.write_transaction() as db:
        current = read_parcel(db, parcel_id)
        updated, diff = next_version(current, parcel_id, changes, expected_version)
        if not diff or current is None:
            return updated
        _write_update(db, updated, diff)
        refresh_parcel_tiles(db, [parcel_id])  # drop the cached tiles showing it
        insert_changes(db, edit_rows(current, updated, diff, actor, source))
    return updated


def change_page(database: GeoPackageFile, change_filter: ChangeFilter, limit: int = 50,
                offset: int = 0) -> ChangePage:
    """ParcelStore.changes: audit records matching the filter, newest first."""
    where, params = change_where(change_filter)
    with database.read() as db:
        matched = db.execute(f"SELECT COUNT(*) FROM {CHANGES} WHERE {where}",
                             params).fetchone()[0]
        rows = db.execute(f"SELECT {CHANGE_COLUMNS} FROM {CHANGES} WHERE {where} "
                          "ORDER BY id DESC LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    return ChangePage([_change(row) for row in rows], matched)


def get_change(database: GeoPackageFile, change_id: int) -> ParcelChange | None:
    """ParcelStore.get_change: one audit record by id, or None."""
    if not -2**63 <= change_id < 2**63:  # SQLite's integer range
        return None
    with database.read() as db:
        row = db.execute(f"SELECT {CHANGE_COLUMNS} FROM {CHANGES} WHERE id = ?",
                         (change_id,)).fetchone()
    return _change(row) if row else None


def _write_update(db: sqlite3.Connection, updated: Parcel, diff: dict[str, object]) -> None:
    names = [*diff, "version", "updated_at"]
    values = [int(v) if isinstance(v, bool) else v for v in diff.values()]
    try:
        db.execute(f"UPDATE {LAYER} SET {', '.join(f'{n} = ?' for n in names)} WHERE fid = ?",
                   [*values, updated.version, updated.updated_at, updated.id])
    except sqlite3.IntegrityError:
        raise InvalidEditError({"code": (N_("another parcel already has the code “%(code)s”"),
                                         {"code": updated.code})}) from None
