"""The audit records a write leaves, made once for both stores (each only inserts the rows).

A row is (changed_at, actor, parcel_id, parcel_code, field, old, new, source, version): one per
changed field, with the version the change produced. An import also leaves one row per parcel
it created or removed: field `created` or `removed` (LIFECYCLE_FIELDS), new value the file name.
"""

import getpass
from collections.abc import Mapping

from webapp.domain.audit import utc_now_iso
from webapp.domain.parcel import Parcel
from webapp.store.records import FieldChange

AuditRow = tuple[str, str, int, str, str, object, object, str, int]
CHANGE_COLUMNS = ("id, changed_at, actor, parcel_id, parcel_code, field, old_value, new_value, "
                  "source, version")
LIFECYCLE_FIELDS = ("created", "removed")
INSERTED_COLUMNS = ("changed_at, actor, parcel_id, parcel_code, field, old_value, new_value, "
                    "source, version")


def import_actor() -> str:
    """Who an import is recorded as: the operating-system user running it."""
    try:
        return f"{getpass.getuser()} (import)"
    except (KeyError, OSError):
        return "import"


def edit_rows(current: Parcel, updated: Parcel, diff: Mapping[str, object], actor: str,
              source: str) -> list[AuditRow]:
    """One row per field a staff edit changed (current → updated)."""
    return [(updated.updated_at or utc_now_iso(), actor, updated.id, current.code, name,
             getattr(current, name), value, source, updated.version)
            for name, value in diff.items()]


def upsert_rows(changes: list[FieldChange], code_and_version: Mapping[int, tuple[str, int]],
                actor: str) -> list[AuditRow]:
    """One row per field an import's upsert changed; code_and_version gives each changed
    parcel's code and new version, as stored after the upsert."""
    now = utc_now_iso()
    return [(now, actor, c.parcel_id, code_and_version[c.parcel_id][0], c.field, c.old, c.new,
             "import", code_and_version[c.parcel_id][1]) for c in changes]


def created_rows(created: list[tuple[int, str]], actor: str,
                 source_name: str | None) -> list[AuditRow]:
    """One `created` row per parcel an import inserted ((id, code) pairs, version 1): the
    new value is the imported file's name."""
    now = utc_now_iso()
    return [(now, actor, parcel_id, code, "created", None, source_name, "import", 1)
            for parcel_id, code in created]
