"""Loading whole pipeline records into an empty pipeline (the sample district's, tests'): new
ids, the links between the given records remapped, one `created` audit row per record."""

import json
from collections.abc import Mapping, Sequence

from webapp.domain.pipeline import Enquiry, Problem, Project, ProjectNote
from webapp.store.pipeline_records import (
    ENQUIRY_COLUMNS,
    NOTE_COLUMNS,
    PROBLEM_COLUMNS,
    PROJECT_COLUMNS,
    AuditEntry,
    PipelineDatabase,
    PipelineNames,
    Session,
    insert_audit,
    insert_row,
    write_parcel_codes,
)

Records = tuple[Sequence[Enquiry], Sequence[Project], Sequence[ProjectNote], Sequence[Problem]]


def _mapped(ids: Mapping[int, int], given: int | None, what: str) -> int | None:
    if given is None:
        return None
    if given not in ids:
        raise ValueError(f"{what} refers to the id {given}, not among the given records")
    return ids[given]


def _row(record: object, columns: Sequence[str], **replaced: object) -> dict[str, object]:
    row = {name: getattr(record, name) for name in columns if name != "id"}
    row.update(replaced)
    return row


def load_records(session: Session, database: PipelineDatabase, names: PipelineNames,
                 records: Records, actor: str) -> None:
    """PipelineStore.load_records inside one write transaction (`session`)."""
    enquiries, projects, notes, problems = records
    if session.value(f"SELECT COUNT(*) FROM {names.enquiries}") or session.value(
            f"SELECT COUNT(*) FROM {names.projects}"):
        raise ValueError("records are loaded only into a store without enquiries and projects")
    audit: list[AuditEntry] = []
    enquiry_ids: dict[int, int] = {}
    for enquiry in enquiries:
        new_id = insert_row(session, names.enquiries, _row(
            enquiry, ENQUIRY_COLUMNS, project_id=None,
            parcel_codes=json.dumps(list(enquiry.parcel_codes), ensure_ascii=False)))
        enquiry_ids[enquiry.id] = new_id
        audit.append((enquiry.received_at, actor, "enquiry", new_id, "created", None,
                      enquiry.reference, "form", enquiry.version))
    project_ids: dict[int, int] = {}
    for project in projects:
        new_id = insert_row(session, names.projects, _row(
            project, PROJECT_COLUMNS,
            enquiry_id=_mapped(enquiry_ids, project.enquiry_id, f"project {project.id}")))
        write_parcel_codes(session, names, new_id, project.parcel_codes)
        project_ids[project.id] = new_id
        audit.append((project.created_at, actor, "project", new_id, "created", None,
                      project.name, "form", project.version))
    for enquiry in enquiries:
        if enquiry.project_id is not None:
            session.run(f"UPDATE {names.enquiries} SET project_id = ? WHERE id = ?", (
                _mapped(project_ids, enquiry.project_id, f"enquiry {enquiry.id}"),
                enquiry_ids[enquiry.id]))
    for note in notes:
        insert_row(session, names.notes, _row(
            note, NOTE_COLUMNS, project_id=_mapped(project_ids, note.project_id,
                                                   f"note {note.id}")))
    for problem in problems:
        new_id = insert_row(session, names.problems, _row(
            problem, PROBLEM_COLUMNS, project_id=_mapped(project_ids, problem.project_id,
                                                         f"problem {problem.id}")))
        audit.append((problem.created_at, actor, "problem", new_id, "created", None,
                      problem.title, "form", problem.version))
    insert_audit(session, database, names, audit)
