"""The PipelineStore written once in SQL for both backends (webapp.store.pipeline_records gives
the backend adapter): each write reads its record inside the write transaction (locked on
PostGIS), checks the version there, and commits the change with its audit rows."""

import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from webapp.domain.audit import utc_now_iso
from webapp.domain.errors import ConflictError, NotFoundError
from webapp.domain.local_time import district_today
from webapp.domain.pipeline import (
    ENQUIRY_EDITABLE,
    ENQUIRY_STATUSES,
    PROJECT_EDITABLE,
    STAGES,
    Enquiry,
    PipelineChange,
    Problem,
    ProblemFilter,
    Project,
    ProjectFilter,
    ProjectNote,
    RecordPage,
    reached_milestones,
)
from webapp.store.pipeline_erasure import erase_enquiry
from webapp.store.pipeline_load import load_records
from webapp.store.pipeline_problems import add_problem, problems, update_problem
from webapp.store.pipeline_records import (
    CHANGE_COLUMNS,
    ENQUIRY_COLUMNS,
    NOTE_COLUMNS,
    PROBLEM_COLUMNS,
    PROJECT_COLUMNS,
    AuditEntry,
    PipelineDatabase,
    PipelineNames,
    Session,
    audit_entries,
    change_from_row,
    check_one_of,
    check_text,
    check_version,
    checked_changes,
    checked_text,
    enquiry_from_row,
    field_diff,
    insert_audit,
    insert_row,
    is_id,
    note_from_row,
    parcel_codes_of,
    problem_from_row,
    project_from_row,
    select_list,
    stored_value,
    write_parcel_codes,
)
from webapp.store.pipeline_store import PipelineStore

# References: no look-alikes (0/O, 1/I), 32^6 ≈ 10^9 per day, unique in the table.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 6
REFERENCE_ATTEMPTS = 10
ENQUIRY_INPUT = ENQUIRY_COLUMNS[ENQUIRY_COLUMNS.index("parcel_codes"):
                                ENQUIRY_COLUMNS.index("consent_at") + 1]
CODES_PER_QUERY = 500


def new_reference() -> str:
    """A fresh enquiry reference, ZS-YYYYMMDD-XXXXXX (Beijing date; not guessable)."""
    tail = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"ZS-{district_today().strftime('%Y%m%d')}-{tail}"


def project_extra(current: Project, diff: Mapping[str, object]) -> dict[str, object]:
    """What a project update writes besides its changed fields: the time, and on a stage
    change the day it was entered and the milestone dates it implies."""
    extra: dict[str, object] = {"updated_at": utc_now_iso()}
    if "stage" in diff:
        today = district_today().isoformat()
        extra["stage_since"] = today
        extra.update(reached_milestones(str(diff["stage"]), today, current.signed_on,
                                        current.started_on))
    return extra


class SQLPipeline(PipelineStore):
    """Enquiries, projects, notes, problems and their audit trail in plain SQL tables."""

    def __init__(self, database: PipelineDatabase) -> None:
        self.database = database
        self.names = PipelineNames.of(database)

    # Reading inside a session --------------------------------------------------------------

    def read_enquiry(self, session: Session, enquiry_id: int, lock: bool = False
                     ) -> Enquiry | None:
        """An enquiry by id (its row locked for the transaction when `lock`), or None."""
        if not is_id(enquiry_id):
            return None
        row = session.row(f"SELECT {select_list(ENQUIRY_COLUMNS)} FROM {self.names.enquiries} "
                          f"WHERE id = ?{self.database.lock if lock else ''}", (enquiry_id,))
        return None if row is None else enquiry_from_row(row)

    def read_projects(self, session: Session, where: str, params: Sequence[object],
                      tail: str = "", lock: bool = False) -> list[Project]:
        rows = session.rows(f"SELECT {select_list(PROJECT_COLUMNS)} FROM {self.names.projects} "
                            f"WHERE {where} {tail}{self.database.lock if lock else ''}", params)
        ids = [row[0] for row in rows]
        codes: dict[int, list[str]] = {project_id: [] for project_id in ids}
        for start in range(0, len(ids), CODES_PER_QUERY):
            chunk = ids[start:start + CODES_PER_QUERY]
            for project_id, code in session.rows(
                    f"SELECT project_id, parcel_code FROM {self.names.parcels} WHERE project_id "
                    f"IN ({', '.join('?' * len(chunk))}) ORDER BY project_id, position", chunk):
                codes[project_id].append(code)
        return [project_from_row(row, codes[row[0]]) for row in rows]

    def read_project(self, session: Session, project_id: int | None,
                     lock: bool = False) -> Project | None:
        """A project by id (locked when `lock`), or None."""
        if not is_id(project_id):
            return None
        found = self.read_projects(session, "id = ?", (project_id,), lock=lock)
        return found[0] if found else None

    def read_problem(self, session: Session, problem_id: int, lock: bool = False
                     ) -> Problem | None:
        if not is_id(problem_id):
            return None
        row = session.row(f"SELECT {select_list(PROBLEM_COLUMNS)} FROM {self.names.problems} "
                          f"WHERE id = ?{self.database.lock if lock else ''}", (problem_id,))
        return None if row is None else problem_from_row(row)

    def write_changes(self, session: Session, table: str, kind: str,
                      current: Enquiry | Project | Problem, diff: Mapping[str, object],
                      extra: Mapping[str, object], actor: str, source: str) -> None:
        """Write the changed fields and `extra` columns with version + 1, audited."""
        at, version = utc_now_iso(), current.version + 1
        values = {name: value for name, value in diff.items() if name != "parcel_codes"}
        values.update(extra, version=version)
        session.run(f"UPDATE {table} SET {', '.join(f'{name} = ?' for name in values)} "
                    "WHERE id = ?", [*values.values(), current.id])
        if "parcel_codes" in diff:
            write_parcel_codes(session, self.names, current.id,
                               parcel_codes_of(diff["parcel_codes"]))
        insert_audit(session, self.database, self.names,
                     audit_entries(kind, current.id, current, diff, at, actor, source, version))

    def update_record(self, kind: str, table: str, read: Callable[..., Any], record_id: int,
                      checked: Mapping[str, object], expected_version: int | None, actor: str,
                      extra: Callable[[Any, Mapping[str, object]], Mapping[str, object]]) -> Any:
        """The versioned update of one record, shared by every kind: read it locked (or
        NotFoundError), check its version (ConflictError), write the changed fields and the
        `extra(current, diff)` columns audited; an update that changes nothing writes nothing."""
        with self.database.write() as session:
            current = read(session, record_id, lock=True)
            if current is None:
                raise NotFoundError(f"no {kind} has the id {record_id}")
            check_version(kind, current, expected_version)
            diff = field_diff(current, checked)
            if not diff:
                return current
            self.write_changes(session, table, kind, current, diff, extra(current, diff), actor,
                               "form")
            return read(session, record_id)

    # Enquiries -----------------------------------------------------------------------------

    def add_enquiry(self, values: Mapping[str, object]) -> Enquiry:
        unknown = [name for name in values if name not in ENQUIRY_INPUT]
        if unknown:
            raise ValueError(f"not enquiry input fields: {', '.join(map(repr, unknown))}")
        check_text("consent_at", values.get("consent_at"))
        now = utc_now_iso()
        row = {name: stored_value(name, values.get(name)) for name in ENQUIRY_INPUT}
        row["parcel_codes"] = json.dumps(list(parcel_codes_of(row["parcel_codes"])),
                                        ensure_ascii=False)
        row.update(language=values.get("language") or "zh", status="new", version=1,
                   received_at=now)
        columns = select_list(["reference", *row])
        with self.database.write() as session:
            for _ in range(REFERENCE_ATTEMPTS):
                reference = new_reference()
                new_id = session.value(
                    f"INSERT INTO {self.names.enquiries} ({columns}) VALUES "
                    f"({', '.join('?' * (len(row) + 1))}) ON CONFLICT (reference) DO NOTHING "
                    "RETURNING id", [reference, *row.values()])
                if new_id is not None:
                    break
            else:
                raise RuntimeError("no free enquiry reference after several attempts")
            insert_audit(session, self.database, self.names, [
                (now, "investor", "enquiry", new_id, "created", None, reference, "form", 1)])
            return self.read_enquiry(session, new_id)  # type: ignore[return-value]

    def enquiry(self, enquiry_id: int) -> Enquiry | None:
        with self.database.read() as session:
            return self.read_enquiry(session, enquiry_id)

    def enquiries(self, status: str | None = None, limit: int = 50,
                  offset: int = 0) -> RecordPage[Enquiry]:
        where, params = ("status = ?", [status]) if status is not None else ("1 = 1", [])
        table = self.names.enquiries
        with self.database.read() as session:
            matched = session.value(f"SELECT COUNT(*) FROM {table} WHERE {where}", params)
            rows = session.rows(f"SELECT {select_list(ENQUIRY_COLUMNS)} FROM {table} WHERE "
                                f"{where} ORDER BY received_at DESC, id DESC LIMIT ? OFFSET ?",
                                [*params, limit, offset])
        return RecordPage([enquiry_from_row(row) for row in rows], matched)

    def update_enquiry(self, enquiry_id: int, changes: Mapping[str, object],
                       expected_version: int | None, actor: str) -> Enquiry:
        checked = checked_changes(changes, ENQUIRY_EDITABLE, "enquiry")
        if "status" in checked:
            check_one_of("status", checked["status"], ENQUIRY_STATUSES)
        return self.update_record("enquiry", self.names.enquiries, self.read_enquiry,
                                  enquiry_id, checked, expected_version, actor,
                                  lambda current, diff: {})

    def erase_enquiry(self, enquiry_id: int, actor: str) -> Enquiry:
        return erase_enquiry(self, enquiry_id, actor)

    # Projects ------------------------------------------------------------------------------

    def add_project(self, values: Mapping[str, object], actor: str,
                    enquiry_id: int | None = None) -> Project:
        row = checked_changes(values, PROJECT_EDITABLE, "project")
        check_text("name", row.get("name"))
        row["stage"] = row.get("stage") or "lead"
        check_one_of("stage", row["stage"], STAGES)
        codes = parcel_codes_of(row.pop("parcel_codes", None))
        now, today = utc_now_iso(), district_today().isoformat()
        row.update(stage_since=today, created_at=now, updated_at=now, version=1,
                   **reached_milestones(str(row["stage"]), today))
        with self.database.write() as session:
            enquiry = None
            if enquiry_id is not None:
                enquiry = self.read_enquiry(session, enquiry_id, lock=True)
                if enquiry is None:
                    raise NotFoundError(f"no enquiry has the id {enquiry_id}")
                if enquiry.project_id is not None:
                    raise ConflictError(f"the enquiry {enquiry_id} is already the project "
                                        f"{enquiry.project_id}", current=enquiry)
                row["enquiry_id"] = enquiry_id
            project_id = insert_row(session, self.names.projects, row)
            write_parcel_codes(session, self.names, project_id, codes)
            source = "form" if enquiry is None else "enquiry"
            entries: list[AuditEntry] = [(now, actor, "project", project_id, "created", None,
                                          row["name"], source, 1)]
            insert_audit(session, self.database, self.names, entries)
            if enquiry is not None:
                self.write_changes(session, self.names.enquiries, "enquiry", enquiry,
                                   {"status": "converted", "project_id": project_id}, {},
                                   actor, "enquiry")
            return self.read_project(session, project_id)  # type: ignore[return-value]

    def project(self, project_id: int) -> Project | None:
        with self.database.read() as session:
            return self.read_project(session, project_id)

    def projects(self, project_filter: ProjectFilter, limit: int | None = None,
                 offset: int = 0) -> RecordPage[Project]:
        where, params = self.project_where(project_filter)
        page = [self.database.no_limit if limit is None else limit, offset]
        with self.database.read() as session:
            matched = session.value(f"SELECT COUNT(*) FROM {self.names.projects} "
                                    f"WHERE {where}", params)
            found = self.read_projects(session, where, [*params, *page],
                                       "ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?")
        return RecordPage(found, matched)

    def project_where(self, project_filter: ProjectFilter) -> tuple[str, list[object]]:
        """A project filter as an SQL condition and its parameters."""
        parts, params = ["1 = 1"], list[object]()
        if project_filter.stages:
            parts.append(f"stage IN ({', '.join('?' * len(project_filter.stages))})")
            params += project_filter.stages
        for column in ("owner", "industry", "street"):
            if getattr(project_filter, column) is not None:
                parts.append(f"{column} = ?")
                params.append(getattr(project_filter, column))
        if project_filter.parcel_code is not None:
            parts.append(f"id IN (SELECT project_id FROM {self.names.parcels} "
                         "WHERE parcel_code = ?)")
            params.append(project_filter.parcel_code)
        return " AND ".join(parts), params

    def update_project(self, project_id: int, changes: Mapping[str, object],
                       expected_version: int | None, actor: str) -> Project:
        checked = checked_changes(changes, PROJECT_EDITABLE, "project")
        if "name" in checked:
            check_text("name", checked["name"])
        if "stage" in checked:
            check_one_of("stage", checked["stage"], STAGES)
        return self.update_record("project", self.names.projects, self.read_project,
                                  project_id, checked, expected_version, actor, project_extra)

    def add_note(self, project_id: int, text: str, actor: str) -> ProjectNote:
        checked_text("text", text)
        with self.database.write() as session:
            if self.read_project(session, project_id) is None:
                raise NotFoundError(f"no project has the id {project_id}")
            row = {"project_id": project_id, "written_at": utc_now_iso(), "author": actor,
                   "text": text}
            return ProjectNote(insert_row(session, self.names.notes, row), **row)  # type: ignore[arg-type]

    def notes(self, project_id: int) -> list[ProjectNote]:
        if not is_id(project_id):
            return []
        with self.database.read() as session:
            rows = session.rows(f"SELECT {select_list(NOTE_COLUMNS)} FROM {self.names.notes} "
                                "WHERE project_id = ? ORDER BY written_at DESC, id DESC",
                                (project_id,))
        return [note_from_row(row) for row in rows]

    # Problems ------------------------------------------------------------------------------

    def add_problem(self, values: Mapping[str, object], actor: str) -> Problem:
        return add_problem(self, values, actor)

    def problem(self, problem_id: int) -> Problem | None:
        with self.database.read() as session:
            return self.read_problem(session, problem_id)

    def problems(self, problem_filter: ProblemFilter) -> list[Problem]:
        return problems(self, problem_filter)

    def update_problem(self, problem_id: int, changes: Mapping[str, object],
                       expected_version: int | None, actor: str) -> Problem:
        return update_problem(self, problem_id, changes, expected_version, actor)

    # Audit and whole records ---------------------------------------------------------------

    def changes(self, record: str | None = None, record_id: int | None = None,
                limit: int = 50, offset: int = 0) -> RecordPage[PipelineChange]:
        if record_id is not None and not is_id(record_id):
            return RecordPage([], 0)
        parts, params = ["1 = 1"], []
        for column, value in (("record", record), ("record_id", record_id)):
            if value is not None:
                parts.append(f"{column} = ?")
                params.append(value)
        where, table = " AND ".join(parts), self.names.changes
        with self.database.read() as session:
            matched = session.value(f"SELECT COUNT(*) FROM {table} WHERE {where}", params)
            rows = session.rows(f"SELECT {select_list(CHANGE_COLUMNS)} FROM {table} WHERE "
                                f"{where} ORDER BY changed_at DESC, id DESC LIMIT ? OFFSET ?",
                                [*params, limit, offset])
        return RecordPage([change_from_row(row, self.database) for row in rows], matched)

    def load_records(self, enquiries: Sequence[Enquiry], projects: Sequence[Project],
                     notes: Sequence[ProjectNote], problems: Sequence[Problem],
                     actor: str) -> None:
        with self.database.write() as session:
            load_records(session, self.database, self.names,
                         (enquiries, projects, notes, problems), actor)
