"""Auditing a replace-all import without holding the district in memory (both backends).

Before the old parcels go, their audited fields, versions and times are copied into a temporary
table of the store's own database. After the new parcels are written, the database joins the two
by code and returns only the rows where some field may differ (SQL's exact comparison, a superset
of values_differ); Python then decides, field by field, what changed. A re-import of a million
parcels of which a few changed thus reads a few rows back, not a million dicts of twenty fields.
"""

from collections.abc import Iterable, Iterator

from webapp.domain.edits import EDITABLE_FIELDS, values_differ
from webapp.store.audit_rows import INSERTED_COLUMNS

SNAPSHOT_FIELDS = (*EDITABLE_FIELDS, "area_m2")
BEFORE_TABLE = "landgis_import_before"  # temporary: this connection's, gone with its transaction
FETCH_ROWS = 5000  # candidate rows read back at a time


def snapshot_columns(id_column: str) -> str:
    """The columns copied into BEFORE_TABLE: the parcel id, audited fields, version and time."""
    return ", ".join([id_column, *SNAPSHOT_FIELDS, "version", "updated_at"])


def candidates_sql(parcels: str, before: str, id_column: str, distinct: str) -> str:
    """SELECT of (parcel id, code, old version, old fields…, new fields…) for the parcels that
    stayed (same code) and whose fields may have changed; `distinct` is the dialect's null-safe
    inequality (SQLite IS NOT, PostgreSQL IS DISTINCT FROM)."""
    old = ", ".join(f"b.{f}" for f in SNAPSHOT_FIELDS)
    new = ", ".join(f"p.{f}" for f in SNAPSHOT_FIELDS)
    differs = " OR ".join(f"b.{f} {distinct} p.{f}" for f in SNAPSHOT_FIELDS)
    return (f"SELECT p.{id_column}, p.code, b.version, {old}, {new} FROM {parcels} AS p "
            f"JOIN {before} AS b ON b.code = p.code WHERE {differs}")


def kept_published_sql(parcels: str, before: str) -> list[str]:
    """UPDATEs (both dialects) that give each parcel whose code was stored before a replace its
    old published flag again: a draft stays a draft, a published parcel stays published."""
    return [f"UPDATE {parcels} SET published = {flag} WHERE published = {1 - flag} AND code IN "
            f"(SELECT code FROM {before} WHERE published = {flag})" for flag in (0, 1)]


def fetched(cursor) -> Iterator[tuple]:
    """A cursor's rows, FETCH_ROWS at a time."""
    while rows := cursor.fetchmany(FETCH_ROWS):
        yield from rows


def replacement_changes(candidates: Iterable[tuple], now: str,
                        actor: str) -> tuple[list[tuple], list[tuple]]:
    """(versions, audit rows) of the candidates: (parcel id, version + 1, now) for each parcel
    with a changed field, and one audit row (changed_at, actor, parcel id, code, field, old,
    new, 'import', version) per changed field."""
    width = len(SNAPSHOT_FIELDS)
    versions, audit = [], []
    for row in candidates:
        parcel_id, code, old_version = row[:3]
        old, new = row[3:3 + width], row[3 + width:]
        changed = [(field, o, n) for field, o, n in zip(SNAPSHOT_FIELDS, old, new, strict=True)
                   if values_differ(o, n)]
        if changed:
            versions.append((parcel_id, old_version + 1, now))
            audit += [(now, actor, parcel_id, code, field, o, n, "import", old_version + 1)
                      for field, o, n in changed]
    return versions, audit


def lifecycle_sql(parcels: str, before: str, changes: str, id_column: str,
                  mark: str) -> list[str]:
    """INSERT … SELECTs (both dialects; `mark` the placeholder) of the audit records of a
    replace-all's created parcels (codes not in `before`) and removed parcels (codes of
    `before` no longer stored). Parameters of each: changed_at, actor, old value, new value
    (None and the file name, in the store's JSON form). Run after the new parcels are in."""
    values = f"{mark}, {mark}"
    return [
        f"INSERT INTO {changes} ({INSERTED_COLUMNS}) SELECT {values}, p.{id_column}, p.code, "
        f"'created', {values}, 'import', p.version FROM {parcels} AS p WHERE NOT EXISTS "
        f"(SELECT 1 FROM {before} AS b WHERE b.code = p.code)",
        f"INSERT INTO {changes} ({INSERTED_COLUMNS}) SELECT {values}, b.{id_column}, b.code, "
        f"'removed', {values}, 'import', b.version + 1 FROM {before} AS b WHERE NOT EXISTS "
        f"(SELECT 1 FROM {parcels} AS p WHERE p.code = b.code)",
    ]
