"""Versioned parcel edits and the audit trail in PostGIS, with the GeoPackage store's rules.

An edit locks its parcel row (SELECT … FOR UPDATE), so of two edits based on the same version
the second waits, then sees the new version and gets ConflictError. Audit values are jsonb.
"""

import psycopg
from psycopg.types.json import Jsonb

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
from webapp.store.postgis.database import PostGISDatabase, first_row
from webapp.store.postgis.location import PostGISLocation
from webapp.store.postgis.rows import SELECT_COLUMNS, parcel_from_row
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
from webapp.store.tables import PARCELS


def insert_changes(conn: psycopg.Connection, location: PostGISLocation,
                   rows: list[AuditRow]) -> None:
    """Audit rows (webapp.store.audit_rows); old and new values are stored as jsonb."""
    if not rows:
        return
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {location.table(CHANGES)} ({INSERTED_COLUMNS}) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [(*row[:5], Jsonb(row[5]), Jsonb(row[6]), *row[7:]) for row in rows])


def keep_before_import(conn: psycopg.Connection, table: str) -> int:
    """Copy every parcel's audited fields, version and update time into a temporary table
    (dropped at commit) before an import replaces them; returns how many parcels it holds
    (kept_versions looks them up)."""
    conn.execute(f"DROP TABLE IF EXISTS pg_temp.{BEFORE_TABLE}")
    kept = conn.execute(f"CREATE TEMP TABLE {BEFORE_TABLE} ON COMMIT DROP AS SELECT "
                        f"{snapshot_columns('id')} FROM {table}").rowcount
    conn.execute(f"CREATE UNIQUE INDEX ON pg_temp.{BEFORE_TABLE} (code)")
    conn.execute(f"ANALYZE pg_temp.{BEFORE_TABLE}")
    return kept


def kept_versions(conn: psycopg.Connection, codes: list[str]) -> dict[str, tuple[int, str]]:
    """(version, updated_at) by code of those parcels (of a chunk an import writes) that
    keep_before_import kept: asked chunk by chunk, as a million of them held ~300 MB."""
    rows = conn.execute(f"SELECT code, version, updated_at FROM pg_temp.{BEFORE_TABLE} "
                        "WHERE code = ANY(%s)", (codes,))
    return {code: (version, updated_at) for code, version, updated_at in rows}


def audit_replacement(conn: psycopg.Connection, location: PostGISLocation, kept: int,
                      actor: str, source_name: str | None = None) -> int:
    """After a replace-all whose rows were copied with their old version and time (by code,
    keep_before_import first): audit the changed fields of parcels that stayed and give those
    parcels version + 1; created and removed parcels get one record each."""
    if not kept:  # a first import: no parcel stayed
        return 0
    table = location.table(PARCELS)
    now = utc_now_iso()
    with conn.cursor() as cursor:
        cursor.execute(candidates_sql(table, f"pg_temp.{BEFORE_TABLE}", "id",
                                      "IS DISTINCT FROM"))
        versions, audit = replacement_changes(fetched(cursor), now, actor)
    for sql in lifecycle_sql(table, f"pg_temp.{BEFORE_TABLE}", location.table(CHANGES), "id",
                             "%s"):
        conn.execute(sql, (now, actor, Jsonb(None), Jsonb(source_name)))
    if versions:
        ids, numbers, stamps = (list(column) for column in zip(*versions, strict=True))
        conn.execute(f"UPDATE {table} AS p SET version = v.version, updated_at = v.stamp "
                     "FROM unnest(%s::integer[], %s::integer[], %s::text[]) "
                     "AS v(id, version, stamp) WHERE p.id = v.id", (ids, numbers, stamps))
    insert_changes(conn, location, audit)
    return len(audit)


def audit_created(conn: psycopg.Connection, location: PostGISLocation,
                  created: list[tuple[int, str]], actor: str, source_name: str | None) -> None:
    """A `created` record for each parcel an import's upsert inserted ((id, code) pairs)."""
    insert_changes(conn, location, created_rows(created, actor, source_name))


def audit_upsert(conn: psycopg.Connection, location: PostGISLocation,
                 changes: list[FieldChange], actor: str) -> int:
    """Audit every field an import's upsert changed, in its transaction."""
    if not changes:
        return 0
    ids = sorted({change.parcel_id for change in changes})
    stored = {row[0]: (row[1], row[2]) for row in conn.execute(
        f"SELECT id, code, version FROM {location.table(PARCELS)} WHERE id = ANY(%s)", (ids,))}
    rows = upsert_audit_rows(changes, stored, actor)
    insert_changes(conn, location, rows)
    return len(rows)


def _read_for_update(conn: psycopg.Connection, table: str, parcel_id: int) -> Parcel | None:
    if not -2**31 <= parcel_id < 2**31:
        return None
    # The write lock first: an import (SHARE ROW EXCLUSIVE) then waits for this edit, or this
    # edit for the import, instead of the two deadlocking over the row.
    conn.execute(f"LOCK TABLE {table} IN ROW EXCLUSIVE MODE")
    row = conn.execute(f"SELECT {SELECT_COLUMNS}, ST_AsBinary(geom, 'NDR') FROM {table} "
                       "WHERE id = %s FOR UPDATE", (parcel_id,)).fetchone()
    return None if row is None else parcel_from_row(row)


def _write_update(conn: psycopg.Connection, table: str, updated: Parcel,
                  diff: dict[str, object]) -> None:
    names = [*diff, "version", "updated_at"]
    values = [int(v) if isinstance(v, bool) else v for v in diff.values()]
    try:
        with conn.transaction():  # a savepoint: the unique violation is reported, not fatal
            conn.execute(f"UPDATE {table} SET {', '.join(f'{n} = %s' for n in names)} "
                         "WHERE id = %s", [*values, updated.version, updated.updated_at,
                                           updated.id])
    except psycopg.errors.UniqueViolation:
        raise InvalidEditError({"code": (N_("another parcel already has the code “%(code)s”"),
                                         {"code": updated.code})}) from None


def _change(row: tuple) -> ParcelChange:
    return ParcelChange(*row)


def update_parcel(database: PostGISDatabase, parcel_id: int, changes: dict[str, object],
                  expected_version: int | None, actor: str, source: str) -> Parcel:
    """ParcelStore.update_parcel: the row locked, the edit planned (domain.edits.next_version),
    written and audited in one transaction."""
    check_editable(changes)
    table = database.location.table(PARCELS)
    with database.transaction() as conn:
        current = _read_for_update(conn, table, parcel_id)
        updated, diff = next_version(current, parcel_id, changes, expected_version)
        if not diff or current is None:
            return updated
        _write_update(conn, table, updated, diff)
        insert_changes(conn, database.location, edit_rows(current, updated, diff, actor, source))
    return updated


def change_page(database: PostGISDatabase, change_filter: ChangeFilter, limit: int = 50,
                offset: int = 0) -> ChangePage:
    """ParcelStore.changes: audit records matching the filter, newest first."""
    where, params = change_where(change_filter, mark="%s")
    table = database.location.table(CHANGES)
    with database.transaction() as conn:
        matched = first_row(conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}",
                                         params))[0]
        rows = conn.execute(f"SELECT {CHANGE_COLUMNS} FROM {table} WHERE {where} "
                            "ORDER BY id DESC LIMIT %s OFFSET %s",
                            [*params, limit, offset]).fetchall()
    return ChangePage([_change(row) for row in rows], matched)


def get_change(database: PostGISDatabase, change_id: int) -> ParcelChange | None:
    """ParcelStore.get_change: one audit record by id, or None."""
    if not -2**63 <= change_id < 2**63:
        return None
    with database.transaction() as conn:
        row = conn.execute(f"SELECT {CHANGE_COLUMNS} FROM {database.location.table(CHANGES)} "
                           "WHERE id = %s", (change_id,)).fetchone()
    return _change(row) if row else None
