"""Pipeline records as both stores read and write them: the backend a shared SQL pipeline needs
(PipelineDatabase), its sessions, the tables' qualified names, columns, and rows ↔ records."""

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, fields
from typing import Any, cast

from webapp.domain.errors import ConflictError
from webapp.domain.pipeline import Enquiry, PipelineChange, Problem, Project, ProjectNote
from webapp.store.tables import (
    ENQUIRIES,
    PIPELINE_CHANGES,
    PROBLEMS,
    PROJECT_NOTES,
    PROJECT_PARCELS,
    PROJECTS,
)

# Ids are 64-bit integers on both backends; others are no record's (never a database error).
ID_RANGE = range(-2**63, 2**63)

ENQUIRY_COLUMNS = tuple(f.name for f in fields(Enquiry))
PROJECT_COLUMNS = tuple(f.name for f in fields(Project) if f.name != "parcel_codes")
NOTE_COLUMNS = tuple(f.name for f in fields(ProjectNote))
PROBLEM_COLUMNS = tuple(f.name for f in fields(Problem))
CHANGE_COLUMNS = tuple(f.name for f in fields(PipelineChange))
# (changed_at, actor, record, record_id, field, old_value, new_value, source, version)
AuditEntry = tuple[str, str, str, int, str, object, object, str, int]


def is_id(value: object) -> bool:
    """Whether `value` can be a stored record's id (an int in the 64-bit range)."""
    return isinstance(value, int) and not isinstance(value, bool) and value in ID_RANGE


class Session:
    """One connection of a backend, in a read or a write transaction: statements are written
    with `?` placeholders and run with the backend's own."""

    def __init__(self, conn: Any, mark: str) -> None:
        self.conn = conn
        self.mark = mark

    def run(self, sql: str, params: Sequence[object] = ()) -> Any:
        """Run one statement; its cursor."""
        if self.mark != "?":
            sql = sql.replace("?", self.mark)
        return self.conn.execute(sql, tuple(params))

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return list(self.run(sql, params).fetchall())

    def row(self, sql: str, params: Sequence[object] = ()) -> tuple | None:
        """The statement's first row, or None (every row is fetched: a statement with RETURNING
        then has finished before the next one runs)."""
        rows = self.rows(sql, params)
        return tuple(rows[0]) if rows else None

    def value(self, sql: str, params: Sequence[object] = ()) -> Any:
        """The first column of the statement's one row (an aggregate)."""
        row = self.row(sql, params)
        return None if row is None else row[0]


class PipelineDatabase(ABC):
    """What the shared SQL pipeline needs of a backend: sessions, table names, JSON values."""

    mark = "?"  # the driver's placeholder
    lock = ""  # appended to a SELECT that reads a row the transaction will write
    no_limit: object = -1  # the LIMIT parameter meaning "all rows"

    @abstractmethod
    def connect_read(self) -> AbstractContextManager[Any]:
        """A connection for reads (several statements see committed data)."""

    @abstractmethod
    def connect_write(self) -> AbstractContextManager[Any]:
        """A connection in one write transaction: committed on success, else rolled back."""

    @abstractmethod
    def table(self, name: str) -> str:
        """A table's name as SQL writes it (qualified and quoted where the backend needs)."""

    @abstractmethod
    def json_param(self, value: object) -> object:
        """A value as the parameter of a JSON column."""

    @abstractmethod
    def json_value(self, stored: object) -> object:
        """A JSON column's value as read back."""

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.connect_read() as conn:
            yield Session(conn, self.mark)

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self.connect_write() as conn:
            yield Session(conn, self.mark)


@dataclass(frozen=True)
class PipelineNames:
    """The pipeline tables' names as one backend writes them."""

    enquiries: str
    projects: str
    parcels: str
    notes: str
    problems: str
    changes: str

    @classmethod
    def of(cls, database: PipelineDatabase) -> "PipelineNames":
        return cls(*(database.table(name) for name in (
            ENQUIRIES, PROJECTS, PROJECT_PARCELS, PROJECT_NOTES, PROBLEMS, PIPELINE_CHANGES)))


def select_list(columns: Sequence[str], prefix: str = "") -> str:
    return ", ".join(f"{prefix}{column}" for column in columns)


def enquiry_from_row(row: Sequence[Any]) -> Enquiry:
    values = dict(zip(ENQUIRY_COLUMNS, row, strict=True))
    values["parcel_codes"] = tuple(json.loads(values["parcel_codes"]))
    return Enquiry(**values)


def project_from_row(row: Sequence[Any], parcel_codes: Sequence[str]) -> Project:
    values = dict(zip(PROJECT_COLUMNS, row, strict=True))
    return Project(parcel_codes=tuple(parcel_codes), **values)


def note_from_row(row: Sequence[Any]) -> ProjectNote:
    return ProjectNote(*row)


def problem_from_row(row: Sequence[Any]) -> Problem:
    values = dict(zip(PROBLEM_COLUMNS, row, strict=True))
    values["public"] = bool(values["public"])
    return Problem(**values)


def change_from_row(row: Sequence[Any], database: PipelineDatabase) -> PipelineChange:
    values = dict(zip(CHANGE_COLUMNS, row, strict=True))
    values["old_value"] = database.json_value(values["old_value"])
    values["new_value"] = database.json_value(values["new_value"])
    return PipelineChange(**values)


def checked_text(name: str, value: str) -> str:
    """The text, or ValueError when it holds a NUL character (PostgreSQL text cannot store it;
    both stores refuse it alike)."""
    if "\x00" in value:
        raise ValueError(f"{name} holds a NUL character")
    return value


def parcel_codes_of(value: object) -> tuple[str, ...]:
    """Parcel codes (any sequence of them, or None) as a tuple of text."""
    return tuple(checked_text("parcel_codes", str(code))
                 for code in cast(Iterable[object], value or ()))


def stored_value(name: str, value: object) -> object:
    """A field's value as the record holds it (codes a tuple, flags bool, numbers typed);
    ValueError for text with a NUL character."""
    if value is None:
        return None
    if name == "parcel_codes":
        return parcel_codes_of((value,) if isinstance(value, str) else value)
    if name == "public":
        return bool(value)
    if name == "investment_wan":
        return float(value)  # type: ignore[arg-type]
    return checked_text(name, value) if isinstance(value, str) else value


def audit_value(name: str, value: object) -> object:
    """A field's value as its audit row keeps it (parcel codes as a comma-separated list)."""
    if name == "parcel_codes" and value is not None:
        return ",".join(parcel_codes_of(value))
    return value


def checked_changes(changes: Mapping[str, object], editable: Sequence[str],
                    record: str) -> dict[str, object]:
    """The changes with their values as stored; ValueError for a field not in `editable` (the
    names go into SQL)."""
    unknown = [name for name in changes if name not in editable]
    if unknown:
        raise ValueError(f"not editable {record} fields: {', '.join(map(repr, unknown))}")
    return {name: stored_value(name, value) for name, value in changes.items()}


def field_diff(current: object, changes: Mapping[str, object]) -> dict[str, object]:
    """The changes whose values differ from the record's."""
    return {name: value for name, value in changes.items()
            if getattr(current, name) != value}


def audit_entries(record: str, record_id: int, current: object, diff: Mapping[str, object],
                  at: str, actor: str, source: str, version: int) -> list[AuditEntry]:
    """One audit entry per changed field, old → new."""
    return [(at, actor, record, record_id, name, audit_value(name, getattr(current, name)),
             audit_value(name, value), source, version) for name, value in diff.items()]


def insert_audit(session: Session, database: PipelineDatabase, names: PipelineNames,
                 entries: Sequence[AuditEntry]) -> None:
    """Write audit entries (old and new values as JSON) in the session's transaction."""
    columns = select_list(CHANGE_COLUMNS[1:])
    for entry in entries:
        values = (*entry[:5], database.json_param(entry[5]), database.json_param(entry[6]),
                  *entry[7:])
        session.run(f"INSERT INTO {names.changes} ({columns}) VALUES "
                    f"({', '.join('?' * len(values))})", values)


def write_parcel_codes(session: Session, names: PipelineNames, project_id: int,
                       codes: Sequence[str]) -> None:
    """Replace a project's parcels with `codes`, in their order."""
    session.run(f"DELETE FROM {names.parcels} WHERE project_id = ?", (project_id,))
    for position, code in enumerate(codes):
        session.run(f"INSERT INTO {names.parcels} (project_id, parcel_code, position) "
                    "VALUES (?, ?, ?)", (project_id, code, position))


def insert_row(session: Session, table: str, row: Mapping[str, object]) -> int:
    """Insert one row; its new id."""
    new_id = session.value(f"INSERT INTO {table} ({select_list(list(row))}) VALUES "
                           f"({', '.join('?' * len(row))}) RETURNING id", list(row.values()))
    return int(new_id)


def check_one_of(name: str, value: object, allowed: Sequence[str]) -> None:
    """ValueError unless `value` is one of `allowed` (stages, statuses)."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")


def check_text(name: str, value: object) -> None:
    """ValueError unless a required text is there."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} is required")


def check_version(kind: str, current: Enquiry | Project | Problem,
                  expected_version: int | None) -> None:
    """ConflictError (with the stored record) when expected_version is stale; None skips."""
    if expected_version is not None and expected_version != current.version:
        raise ConflictError(f"the {kind} {current.id} is at version {current.version}, not "
                            f"{expected_version}", current=current)
