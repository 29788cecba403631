"""The pipeline's tables, written once for both stores: columns by kind (each backend maps a
kind to its own type), CHECK constraints on stages and statuses, and the indexes of the filters.

The tables are plain relational tables (no geometry): enquiries, projects, a project's parcels
(one row per parcel, so a parcel's projects are found by index), the notes logs, problems and the
audit trail, whose old and new values are JSON (kept typed: numbers, flags, text).
"""

from collections.abc import Callable, Mapping

from webapp.domain.pipeline import (
    ENQUIRY_STATUSES,
    PIPELINE_SOURCES,
    PROBLEM_STATUSES,
    RECORD_KINDS,
    STAGES,
)
from webapp.store.tables import (
    ENQUIRIES,
    PIPELINE_CHANGES,
    PROBLEMS,
    PROJECT_NOTES,
    PROJECT_PARCELS,
    PROJECTS,
)

PIPELINE_TABLES = (ENQUIRIES, PROJECTS, PROJECT_PARCELS, PROJECT_NOTES, PROBLEMS,
                   PIPELINE_CHANGES)
# Column kinds: id (the generated key), key (another record's id), text, time (ISO dates and
# instants, compared as text in code-point order), real, int, flag (a boolean), json.
KINDS = ("id", "key", "text", "ordered", "real", "int", "flag", "json")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


COLUMNS: dict[str, tuple[tuple[str, str, str], ...]] = {
    ENQUIRIES: (
        ("id", "id", ""), ("reference", "ordered", "NOT NULL UNIQUE"),
        ("received_at", "ordered", "NOT NULL"), ("parcel_codes", "text", "NOT NULL"),
        ("company", "text", ""), ("contact_name", "text", ""), ("phone", "text", ""),
        ("email", "text", ""), ("industry", "text", ""), ("investment_wan", "real", ""),
        ("jobs", "int", ""), ("message", "text", ""), ("language", "text", "NOT NULL"),
        ("requirement", "text", ""), ("consent_at", "ordered", "NOT NULL"),
        ("status", "text", f"NOT NULL CHECK ({_one_of('status', ENQUIRY_STATUSES)})"),
        ("project_id", "key", ""), ("erased_at", "ordered", ""), ("erased_by", "text", ""),
        ("version", "int", "NOT NULL")),
    PROJECTS: (
        ("id", "id", ""), ("name", "text", "NOT NULL"), ("company", "text", ""),
        ("contact", "text", ""), ("industry", "text", ""), ("investment_wan", "real", ""),
        ("jobs", "int", ""), ("stage", "text", f"NOT NULL CHECK ({_one_of('stage', STAGES)})"),
        ("stage_since", "ordered", "NOT NULL"), ("signed_on", "ordered", ""),
        ("started_on", "ordered", ""), ("drop_reason", "text", ""), ("street", "text", ""),
        ("owner", "text", ""), ("next_action", "text", ""), ("next_action_due", "ordered", ""),
        ("enquiry_id", "key", ""), ("created_at", "ordered", "NOT NULL"),
        ("updated_at", "ordered", "NOT NULL"), ("version", "int", "NOT NULL")),
    PROJECT_PARCELS: (
        ("project_id", "key", "NOT NULL"), ("parcel_code", "ordered", "NOT NULL"),
        ("position", "int", "NOT NULL")),
    PROJECT_NOTES: (
        ("id", "id", ""), ("project_id", "key", "NOT NULL"), ("written_at", "ordered", "NOT NULL"),
        ("author", "text", "NOT NULL"), ("text", "text", "NOT NULL")),
    PROBLEMS: (
        ("id", "id", ""), ("project_id", "key", ""), ("parcel_code", "ordered", ""),
        ("title", "text", "NOT NULL"), ("department", "text", "NOT NULL"),
        ("due_date", "ordered", ""),
        ("status", "text", f"NOT NULL CHECK ({_one_of('status', PROBLEM_STATUSES)})"),
        ("notes", "text", ""), ("public", "flag", "NOT NULL"),
        ("created_at", "ordered", "NOT NULL"), ("updated_at", "ordered", "NOT NULL"),
        ("solved_at", "ordered", ""), ("version", "int", "NOT NULL")),
    PIPELINE_CHANGES: (
        ("id", "id", ""), ("changed_at", "ordered", "NOT NULL"), ("actor", "text", "NOT NULL"),
        ("record", "text", f"NOT NULL CHECK ({_one_of('record', RECORD_KINDS)})"),
        ("record_id", "key", "NOT NULL"), ("field", "text", "NOT NULL"),
        ("old_value", "json", ""), ("new_value", "json", ""),
        ("source", "text", f"NOT NULL CHECK ({_one_of('source', PIPELINE_SOURCES)})"),
        ("version", "int", "NOT NULL")),
}
TABLE_CHECKS = {
    PROJECT_PARCELS: ("PRIMARY KEY (project_id, position)",),
    PROBLEMS: ("CHECK ((project_id IS NULL) <> (parcel_code IS NULL))",),
}
# (index name suffix, table, columns): the filters of the staff views.
INDEXES = (
    ("status", ENQUIRIES, "status, received_at"),
    ("received", ENQUIRIES, "received_at"),
    ("stage", PROJECTS, "stage"),
    ("owner", PROJECTS, "owner"),
    ("updated", PROJECTS, "updated_at"),
    ("enquiry", PROJECTS, "enquiry_id"),
    ("code", PROJECT_PARCELS, "parcel_code"),
    ("project", PROJECT_NOTES, "project_id, written_at"),
    ("status", PROBLEMS, "status, due_date"),
    ("department", PROBLEMS, "department"),
    ("due", PROBLEMS, "due_date"),
    ("project", PROBLEMS, "project_id"),
    ("parcel", PROBLEMS, "parcel_code"),
    ("record", PIPELINE_CHANGES, "record, record_id"),
    ("ordered", PIPELINE_CHANGES, "changed_at"),
)


def pipeline_statements(types: Mapping[str, str], table: Callable[[str], str]) -> list[str]:
    """CREATE TABLE and CREATE INDEX statements (all IF NOT EXISTS) of the pipeline tables;
    `types` maps each kind in KINDS to a backend's column type (`{name}` stands for the column),
    `table` gives a table's name as the backend writes it (qualified, quoted)."""
    statements = []
    for name, columns in COLUMNS.items():
        parts = [" ".join(filter(None, (column, types[kind].format(name=column), extra)))
                 for column, kind, extra in columns]
        parts += TABLE_CHECKS.get(name, ())
        statements.append(f"CREATE TABLE IF NOT EXISTS {table(name)} (\n    "
                          + ",\n    ".join(parts) + ")")
    statements += [f"CREATE INDEX IF NOT EXISTS {name}_{suffix}_idx ON {table(name)} ({columns})"
                   for suffix, name, columns in INDEXES]
    return statements
