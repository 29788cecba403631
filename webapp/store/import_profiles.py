"""Saved import profiles (store.import_profiles): a named field and value mapping of a bureau's
file layout, found again by the layout's field signature (its sorted source field names).

One SQL implementation serves both backends through a PipelineDatabase adapter
(webapp.store.pipeline_records); every write is versioned (a stale version is a ConflictError,
as parcel edits) and records who made it and when. The mapping is kept as plain JSON (the
mapping file format of webapp.importing.mapping); the store does not interpret it.
"""

import json
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from webapp.domain.audit import utc_now_iso
from webapp.domain.errors import ConflictError, InvalidParameterError, NotFoundError
from webapp.domain.messages import N_
from webapp.store.pipeline_records import PipelineDatabase, Session, is_id
from webapp.store.tables import IMPORT_PROFILES

NAME_MAX_LENGTH = 100
SIGNATURE_MAX_FIELDS = 500
FIELDS = ("id", "name", "signature", "mapping", "created_by", "created_at", "updated_by",
          "updated_at", "version")
# (column, kind, constraint); kinds as the pipeline tables' (webapp.store.pipeline_schema)
COLUMNS = (("id", "id", ""), ("name", "ordered", "NOT NULL UNIQUE"),
           ("signature", "ordered", "NOT NULL"), ("mapping", "json", "NOT NULL"),
           ("created_by", "text", "NOT NULL"), ("created_at", "ordered", "NOT NULL"),
           ("updated_by", "text", "NOT NULL"), ("updated_at", "ordered", "NOT NULL"),
           ("version", "int", "NOT NULL"))


def import_profile_statements(types: Mapping[str, str], table: Callable[[str], str]) -> list[str]:
    """CREATE TABLE / INDEX statements (IF NOT EXISTS) of the profiles table; `types` maps each
    column kind to the backend's type, `table` gives the table's name as the backend writes it."""
    parts = [" ".join(filter(None, (column, types[kind].format(name=column), extra)))
             for column, kind, extra in COLUMNS]
    return [f"CREATE TABLE IF NOT EXISTS {table(IMPORT_PROFILES)} (\n    "
            + ",\n    ".join(parts) + ")",
            f"CREATE INDEX IF NOT EXISTS {IMPORT_PROFILES}_signature_idx "
            f"ON {table(IMPORT_PROFILES)} (signature)"]


def field_signature(fields: Sequence[str]) -> tuple[str, ...]:
    """A file layout's signature: its source field names, NFC-normalised, unique and sorted
    (code-point order), so the same layout matches whatever order its columns come in."""
    return tuple(sorted({unicodedata.normalize("NFC", str(name)) for name in fields}))


def checked_name(name: object) -> str:
    """A profile name, stripped; InvalidParameterError when empty, too long or with control
    characters."""
    text = name.strip() if isinstance(name, str) else ""
    if not text:
        raise InvalidParameterError("name", N_("a profile needs a name"))
    if len(text) > NAME_MAX_LENGTH:
        raise InvalidParameterError("name", N_("longer than %(limit)s characters"),
                                    limit=NAME_MAX_LENGTH)
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in text):
        raise InvalidParameterError("name", N_("contains control characters"))
    return text


@dataclass(frozen=True)
class ImportProfile:
    """A saved mapping: name, the layout it was made for, the mapping file's JSON, its history
    (who made and last changed it, when: ISO 8601 UTC) and its version (1 when made)."""

    id: int
    name: str
    signature: tuple[str, ...]
    mapping: dict[str, Any]
    created_by: str
    created_at: str
    updated_by: str
    updated_at: str
    version: int


class ImportProfileStore(ABC):
    """Named import profiles; names are unique, writes are versioned."""

    @abstractmethod
    def profiles(self) -> list[ImportProfile]:
        """Every profile, by name."""

    @abstractmethod
    def get(self, profile_id: int) -> ImportProfile:
        """A profile by id; NotFoundError when there is none."""

    @abstractmethod
    def matching(self, fields: Sequence[str]) -> list[ImportProfile]:
        """Profiles made for this layout (same field signature), last changed first."""

    @abstractmethod
    def add(self, name: str, fields: Sequence[str], mapping: Mapping[str, Any],
            actor: str) -> ImportProfile:
        """A new profile for the layout of `fields`; ConflictError when the name is taken."""

    @abstractmethod
    def update(self, profile_id: int, expected_version: int, actor: str, *,
               name: str | None = None, fields: Sequence[str] | None = None,
               mapping: Mapping[str, Any] | None = None) -> ImportProfile:
        """Rename a profile or replace its mapping (and layout); ConflictError when
        expected_version is stale or the new name is taken, NotFoundError when it is gone."""

    @abstractmethod
    def delete(self, profile_id: int, expected_version: int) -> None:
        """Remove a profile; ConflictError when expected_version is stale."""


class SQLImportProfiles(ImportProfileStore):
    """store.import_profiles over a backend's sessions."""

    def __init__(self, database: PipelineDatabase) -> None:
        self.database = database
        self.table = database.table(IMPORT_PROFILES)

    def _from_row(self, row: Sequence[Any]) -> ImportProfile:
        values = dict(zip(FIELDS, row, strict=True))
        values["signature"] = tuple(json.loads(values["signature"]))
        mapping = self.database.json_value(values["mapping"])
        values["mapping"] = mapping if isinstance(mapping, dict) else {}
        return ImportProfile(**values)

    def _select(self, session: Session, where: str, params: Sequence[object],
                tail: str = "", lock: bool = False) -> list[ImportProfile]:
        rows = session.rows(f"SELECT {', '.join(FIELDS)} FROM {self.table} WHERE {where} {tail}"
                            + (self.database.lock if lock else ""), params)
        return [self._from_row(row) for row in rows]

    def _current(self, session: Session, profile_id: int, expected_version: int | None
                 ) -> ImportProfile:
        found = self._select(session, "id = ?", (profile_id,), lock=True) \
            if is_id(profile_id) else []
        if not found:
            raise NotFoundError(f"no import profile {profile_id}")
        if expected_version is not None and expected_version != found[0].version:
            raise ConflictError(f"the import profile {profile_id} is at version "
                                f"{found[0].version}, not {expected_version}", current=found[0])
        return found[0]

    def _check_free(self, session: Session, name: str, profile_id: int = 0) -> None:
        taken = session.value(f"SELECT id FROM {self.table} WHERE name = ? AND id <> ?",
                              (name, profile_id))
        if taken is not None:
            raise ConflictError(f"an import profile named “{name}” exists already")

    @staticmethod
    def _signature_text(fields: Sequence[str]) -> str:
        signature = field_signature(fields)
        if not signature or len(signature) > SIGNATURE_MAX_FIELDS:
            raise InvalidParameterError("fields", N_("a profile needs 1 to %(limit)s fields"),
                                        limit=SIGNATURE_MAX_FIELDS)
        return json.dumps(signature, ensure_ascii=False)

    def profiles(self) -> list[ImportProfile]:
        with self.database.read() as session:
            return self._select(session, "1 = 1", (), "ORDER BY name, id")

    def get(self, profile_id: int) -> ImportProfile:
        with self.database.read() as session:
            found = self._select(session, "id = ?", (profile_id,)) if is_id(profile_id) else []
        if not found:
            raise NotFoundError(f"no import profile {profile_id}")
        return found[0]

    def matching(self, fields: Sequence[str]) -> list[ImportProfile]:
        signature = field_signature(fields)
        with self.database.read() as session:
            return self._select(session, "signature = ?",
                                (json.dumps(signature, ensure_ascii=False),),
                                "ORDER BY updated_at DESC, id DESC")

    def add(self, name: str, fields: Sequence[str], mapping: Mapping[str, Any],
            actor: str) -> ImportProfile:
        name, signature, at = checked_name(name), self._signature_text(fields), utc_now_iso()
        with self.database.write() as session:
            self._check_free(session, name)
            row = session.row(
                f"INSERT INTO {self.table} (name, signature, mapping, created_by, created_at, "
                "updated_by, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, 1) "
                "ON CONFLICT (name) DO NOTHING RETURNING id",
                (name, signature, self.database.json_param(dict(mapping)), actor, at, actor, at))
            if row is None:  # a concurrent add took the name between the check and the insert
                raise ConflictError(f"an import profile named “{name}” exists already")
            return self._select(session, "id = ?", (row[0],))[0]

    def update(self, profile_id: int, expected_version: int, actor: str, *,
               name: str | None = None, fields: Sequence[str] | None = None,
               mapping: Mapping[str, Any] | None = None) -> ImportProfile:
        changes: dict[str, object] = {}
        if name is not None:
            changes["name"] = checked_name(name)
        if fields is not None:
            changes["signature"] = self._signature_text(fields)
        if mapping is not None:
            changes["mapping"] = self.database.json_param(dict(mapping))
        with self.database.write() as session:
            current = self._current(session, profile_id, expected_version)
            if "name" in changes:
                self._check_free(session, str(changes["name"]), current.id)
            changes.update(updated_by=actor, updated_at=utc_now_iso(),
                           version=current.version + 1)
            session.run(f"UPDATE {self.table} SET "
                        + ", ".join(f"{column} = ?" for column in changes) + " WHERE id = ?",
                        (*changes.values(), current.id))
            return self._select(session, "id = ?", (current.id,))[0]

    def delete(self, profile_id: int, expected_version: int) -> None:
        with self.database.write() as session:
            current = self._current(session, profile_id, expected_version)
            session.run(f"DELETE FROM {self.table} WHERE id = ?", (current.id,))
