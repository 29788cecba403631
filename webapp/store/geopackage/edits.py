"""Versioned parcel edits and their audit trail in the GeoPackage, written in one transaction."""

import getpass
import json
import sqlite3
from dataclasses import fields

from webapp.domain.audit import ChangeFilter, ChangePage, ParcelChange, utc_now_iso
from webapp.domain.edits import check_editable, next_version
from webapp.domain.errors import InvalidEditError
from webapp.domain.messages import N_
from webapp.domain.parcel import ATTRIBUTE_TYPES, Parcel
from webapp.store.geopackage.blob import geometry_from_gpkg_blob
from webapp.store.geopackage.staff import CHANGES, WritableStore, create_staff_tables
from webapp.store.geopackage.tiles import refresh_parcel_tiles
from webapp.store.replace_audit import (
    BEFORE_TABLE,
    candidates_sql,
    fetched,
    replacement_changes,
    snapshot_columns,
)

LAYER = "parcels"
PARCEL_COLUMNS = [f.name for f in fields(Parcel) if f.name not in ("id", "geometry")]
CHANGE_COLUMNS = ("id, changed_at, actor, parcel_id, parcel_code, field, old_value, new_value, "
                  "source, version")
NUMERIC_ATTRIBUTES = {k: t for k, t in ATTRIBUTE_TYPES.items() if t in (int, float)}


def import_actor() -> str:
    """Who an import is recorded as: the operating-system user running it."""
    try:
        return f"{getpass.getuser()} (import)"
    except (KeyError, OSError):
        return "import"


def coerce_numbers(values: dict[str, object]) -> dict[str, object]:
    """Numeric attributes read as text (columns GDAL typed TEXT) back to int/float, in place."""
    for name, kind in NUMERIC_ATTRIBUTES.items():
        if isinstance(values.get(name), str):
            values[name] = kind(float(values[name]))
    return values


def read_parcel(db: sqlite3.Connection, parcel_id: int) -> Parcel | None:
    """A parcel with its geometry through an open connection (inside a transaction)."""
    row = db.execute(f"SELECT fid, {', '.join(PARCEL_COLUMNS)}, geom FROM {LAYER} "
                     "WHERE fid = ?", (parcel_id,)).fetchone()
    if row is None:
        return None
    values = dict(zip(PARCEL_COLUMNS, row[1:-1], strict=True))
    values["extra"] = json.loads(values["extra"] or "{}")
    values["published"] = bool(values["published"])
    return Parcel(id=row[0], geometry=geometry_from_gpkg_blob(row[-1]), **coerce_numbers(values))


def insert_changes(db: sqlite3.Connection, rows: list[tuple]) -> None:
    """Audit rows (changed_at, actor, parcel_id, parcel_code, field, old, new, source, version);
    old and new values are stored as JSON."""
    if not rows:
        return
    create_staff_tables(db)
    db.executemany(
        f"INSERT INTO {CHANGES} (changed_at, actor, parcel_id, parcel_code, field, old_value, "
        "new_value, source, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*row[:5], json.dumps(row[5], ensure_ascii=False),
          json.dumps(row[6], ensure_ascii=False), *row[7:]) for row in rows])


def _change(row: tuple) -> ParcelChange:
    values = list(row)
    values[6], values[7] = json.loads(values[6]), json.loads(values[7])
    return ParcelChange(*values)


def change_where(change_filter: ChangeFilter) -> tuple[str, list]:
    """(sql, params) selecting the filter's audit records."""
    clauses, params = [], []
    for column, value in (("parcel_id", change_filter.parcel_id),
                          ("parcel_code", change_filter.parcel_code),
                          ("field", change_filter.field), ("actor", change_filter.actor),
                          ("source", change_filter.source)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if change_filter.since:
        clauses.append("changed_at >= ?")
        params.append(change_filter.since.isoformat())
    if change_filter.until:
        clauses.append("changed_at < ?")
        params.append(change_filter.until_exclusive())
    if change_filter.after_version is not None:
        clauses.append("version > ?")
        params.append(change_filter.after_version)
    return " AND ".join(clauses) or "1 = 1", params


def keep_before_import(db: sqlite3.Connection) -> int:
    """Copy every parcel's audited fields, version and update time into a temporary table
    (before an import replaces them); returns how many parcels there were."""
    db.execute(f"DROP TABLE IF EXISTS temp.{BEFORE_TABLE}")
    db.execute(f"CREATE TEMP TABLE {BEFORE_TABLE} AS SELECT {snapshot_columns('fid')} "
               f"FROM {LAYER}")
    db.execute(f"CREATE UNIQUE INDEX temp.{BEFORE_TABLE}_code ON {BEFORE_TABLE} (code)")
    return db.execute(f"SELECT COUNT(*) FROM temp.{BEFORE_TABLE}").fetchone()[0]


def audit_upsert(db: sqlite3.Connection, changes: list, actor: str) -> int:
    """Audit every field an import's upsert changed (FieldChange records), in its transaction."""
    now, rows = utc_now_iso(), []
    for change in changes:
        code, version = db.execute(f"SELECT code, version FROM {LAYER} WHERE fid = ?",
                                   (change.parcel_id,)).fetchone()
        rows.append((now, actor, change.parcel_id, code, change.field, change.old, change.new,
                     "import", version))
    insert_changes(db, rows)
    return len(rows)


def audit_replacement(db: sqlite3.Connection, kept: int, actor: str) -> int:
    """After a replace-all whose parcels that stayed (same code) were written with their old
    version and time (keep_before_import first): those with a changed field get version + 1 and
    one audit record per changed field, so a form opened before the import cannot overwrite
    what the import changed."""
    try:
        if not kept:  # a first import: no parcel stayed
            return 0
        cursor = db.execute(candidates_sql(LAYER, f"temp.{BEFORE_TABLE}", "fid", "IS NOT"))
        versions, rows = replacement_changes(fetched(cursor), utc_now_iso(), actor)
        db.executemany(f"UPDATE {LAYER} SET version = ?, updated_at = ? WHERE fid = ?",
                       [(version, now, parcel_id) for parcel_id, version, now in versions])
        insert_changes(db, rows)
        return len(rows)
    finally:
        db.execute(f"DROP TABLE IF EXISTS temp.{BEFORE_TABLE}")


class GeoPackageEditMixin:
    """update_parcel, the change log and import auditing for GeoPackageStore."""

    def update_parcel(self: WritableStore, parcel_id: int, changes: dict[str, object],
                      expected_version: int | None, actor: str, source: str) -> Parcel:
        check_editable(changes)
        with self.write_transaction() as db:
            current = read_parcel(db, parcel_id)
            updated, diff = next_version(current, parcel_id, changes, expected_version)
            if not diff:
                return updated
            _write_update(db, updated, diff)
            refresh_parcel_tiles(db, [parcel_id])  # drop the cached tiles showing it
            insert_changes(db, [(updated.updated_at, actor, parcel_id, current.code, name,
                                 getattr(current, name), value, source, updated.version)
                                for name, value in diff.items()])
        return updated

    def changes(self: WritableStore, change_filter: ChangeFilter, limit: int = 50,
                offset: int = 0) -> ChangePage:
        where, params = change_where(change_filter)
        with self._connect() as db:
            matched = db.execute(f"SELECT COUNT(*) FROM {CHANGES} WHERE {where}",
                                 params).fetchone()[0]
            rows = db.execute(f"SELECT {CHANGE_COLUMNS} FROM {CHANGES} WHERE {where} "
                              "ORDER BY id DESC LIMIT ? OFFSET ?",
                              [*params, limit, offset]).fetchall()
        return ChangePage([_change(row) for row in rows], matched)

    def get_change(self: WritableStore, change_id: int) -> ParcelChange | None:
        with self._connect() as db:
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
