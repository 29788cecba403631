"""The AttachmentStore written once in SQL for both backends: the tables (column kinds each
backend maps to its types, BLOB or bytea for the bytes) and the reads and writes over a
PipelineDatabase adapter (webapp.store.pipeline_records), each write with its history row in
one transaction."""

import hashlib
from collections.abc import Callable, Mapping

from webapp.domain.audit import utc_now_iso
from webapp.domain.errors import NotFoundError
from webapp.store.attachment_store import (
    ATTACHMENT_ACTIONS,
    ATTACHMENT_KINDS,
    Attachment,
    AttachmentChange,
    AttachmentStore,
    NewAttachment,
)
from webapp.store.pipeline_records import PipelineDatabase, Session, is_id
from webapp.store.tables import ATTACHMENT_CHANGES, ATTACHMENTS

ATTACHMENT_TABLES = (ATTACHMENTS, ATTACHMENT_CHANGES)
FIELDS = ("id", "parcel_code", "kind", "media_type", "filename", "caption", "internal",
          "position", "size_bytes", "width_px", "height_px", "sha256", "added_at", "added_by",
          "flags")
CHANGE_FIELDS = ("id", "changed_at", "actor", "attachment_id", "parcel_code", "action",
                 "detail")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"CHECK ({column} IN ({', '.join(repr(v) for v in values)}))"


# (column, kind, constraint); kinds: id, key, text, ordered, int, flag, blob
COLUMNS = {
    ATTACHMENTS: (
        ("id", "id", ""), ("parcel_code", "ordered", "NOT NULL"),
        ("kind", "text", f"NOT NULL {_one_of('kind', ATTACHMENT_KINDS)}"),
        ("media_type", "text", "NOT NULL"), ("filename", "text", "NOT NULL"),
        ("caption", "text", "NOT NULL"), ("internal", "flag", "NOT NULL"),
        ("position", "int", "NOT NULL"), ("size_bytes", "int", "NOT NULL"),
        ("width_px", "int", ""), ("height_px", "int", ""), ("sha256", "text", "NOT NULL"),
        ("added_at", "ordered", "NOT NULL"), ("added_by", "text", "NOT NULL"),
        ("flags", "text", "NOT NULL"), ("content", "blob", "NOT NULL"),
        ("thumbnail", "blob", "")),
    ATTACHMENT_CHANGES: (
        ("id", "id", ""), ("changed_at", "ordered", "NOT NULL"), ("actor", "text", "NOT NULL"),
        ("attachment_id", "key", "NOT NULL"), ("parcel_code", "ordered", "NOT NULL"),
        ("action", "text", f"NOT NULL {_one_of('action', ATTACHMENT_ACTIONS)}"),
        ("detail", "text", "NOT NULL")),
}
INDEXES = (("code", ATTACHMENTS, "parcel_code, position"),
           ("code", ATTACHMENT_CHANGES, "parcel_code, changed_at"))


def attachment_statements(types: Mapping[str, str], table: Callable[[str], str]) -> list[str]:
    """CREATE TABLE / INDEX statements (IF NOT EXISTS) of the attachment tables; `types` maps
    each column kind to the backend's type, `table` gives a table's name as it writes it."""
    statements = []
    for name, columns in COLUMNS.items():
        parts = [" ".join(filter(None, (column, types[kind].format(name=column), extra)))
                 for column, kind, extra in columns]
        statements.append(f"CREATE TABLE IF NOT EXISTS {table(name)} (\n    "
                          + ",\n    ".join(parts) + ")")
    statements += [f"CREATE INDEX IF NOT EXISTS {name}_{suffix}_idx ON {table(name)} ({cols})"
                   for suffix, name, cols in INDEXES]
    return statements


def attachment_from_row(row: tuple) -> Attachment:
    values = dict(zip(FIELDS, row, strict=True))
    values["internal"] = bool(values["internal"])
    return Attachment(**values)


class SQLAttachments(AttachmentStore):
    """store.attachments over a backend's sessions."""

    def __init__(self, database: PipelineDatabase) -> None:
        self.database = database
        self.table = database.table(ATTACHMENTS)
        self.changes_table = database.table(ATTACHMENT_CHANGES)

    def _record(self, session: Session, at: str, actor: str, attachment: Attachment,
                action: str, detail: str) -> None:
        session.run(f"INSERT INTO {self.changes_table} (changed_at, actor, attachment_id, "
                    "parcel_code, action, detail) VALUES (?, ?, ?, ?, ?, ?)",
                    (at, actor, attachment.id, attachment.parcel_code, action, detail))

    def _select(self, session: Session, attachment_id: int, lock: bool = False
                ) -> Attachment | None:
        if not is_id(attachment_id):
            return None
        row = session.row(f"SELECT {', '.join(FIELDS)} FROM {self.table} WHERE id = ?"
                          + (self.database.lock if lock else ""), (attachment_id,))
        return None if row is None else attachment_from_row(row)

    def add(self, parcel_code: str, new: NewAttachment, caption: str, internal: bool,
            actor: str) -> Attachment:
        at = utc_now_iso()
        with self.database.write() as session:
            last = session.value(f"SELECT MAX(position) FROM {self.table} "
                                 "WHERE parcel_code = ?", (parcel_code,))
            row = session.row(
                f"INSERT INTO {self.table} (parcel_code, kind, media_type, filename, caption, "
                "internal, position, size_bytes, width_px, height_px, sha256, added_at, "
                "added_by, flags, content, thumbnail) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (parcel_code, new.kind, new.media_type, new.filename, caption, internal,
                 0 if last is None else last + 1, len(new.content), new.width_px,
                 new.height_px, hashlib.sha256(new.content).hexdigest(), at, actor, new.flags,
                 new.content, new.thumbnail))
            assert row is not None
            added = self._select(session, row[0])
            assert added is not None
            self._record(session, at, actor, added, "added", new.filename)
        return added

    def attachments(self, parcel_code: str, include_internal: bool = True) -> list[Attachment]:
        where = "parcel_code = ?" + ("" if include_internal else " AND internal = ?")
        params: tuple = (parcel_code,) if include_internal else (parcel_code, False)
        with self.database.read() as session:
            rows = session.rows(f"SELECT {', '.join(FIELDS)} FROM {self.table} WHERE {where} "
                                "ORDER BY position, id", params)
        return [attachment_from_row(row) for row in rows]

    def get(self, attachment_id: int) -> Attachment | None:
        with self.database.read() as session:
            return self._select(session, attachment_id)

    def content(self, attachment_id: int, thumbnail: bool = False) -> bytes | None:
        if not is_id(attachment_id):
            return None
        column = "thumbnail" if thumbnail else "content"
        with self.database.read() as session:
            stored = session.value(f"SELECT {column} FROM {self.table} WHERE id = ?",
                                   (attachment_id,))
        return None if stored is None else bytes(stored)

    def remove(self, attachment_id: int, actor: str) -> Attachment:
        with self.database.write() as session:
            found = self._select(session, attachment_id, lock=True)
            if found is None:
                raise NotFoundError(f"no attachment {attachment_id}")
            session.run(f"DELETE FROM {self.table} WHERE id = ?", (attachment_id,))
            self._record(session, utc_now_iso(), actor, found, "removed", found.filename)
        return found

    def update(self, attachment_id: int, actor: str, caption: str | None = None,
               internal: bool | None = None, position: int | None = None) -> Attachment:
        wanted = {"caption": caption, "internal": internal, "position": position}
        at = utc_now_iso()
        with self.database.write() as session:
            found = self._select(session, attachment_id, lock=True)
            if found is None:
                raise NotFoundError(f"no attachment {attachment_id}")
            for column, value in wanted.items():
                if value is None or value == getattr(found, column):
                    continue
                session.run(f"UPDATE {self.table} SET {column} = ? WHERE id = ?",
                            (value, attachment_id))
                detail = ("yes" if value else "no") if column == "internal" else str(value)
                self._record(session, at, actor, found, column, detail)
            updated = self._select(session, attachment_id)
        assert updated is not None
        return updated

    def changes(self, parcel_code: str | None = None, limit: int = 100) -> list[AttachmentChange]:
        where, params = ("WHERE parcel_code = ?", [parcel_code]) if parcel_code else ("", [])
        with self.database.read() as session:
            rows = session.rows(f"SELECT {', '.join(CHANGE_FIELDS)} FROM {self.changes_table} "
                                f"{where} ORDER BY id DESC LIMIT ?", [*params, limit])
        return [AttachmentChange(*row) for row in rows]
