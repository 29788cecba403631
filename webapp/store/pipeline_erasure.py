"""Erasing an enquirer's personal data on request (personal information law), on both stores:
the enquiry's personal fields, the contact of the project made from it, and every audit value of
those fields; one `erased` audit row says who did it and when."""

from typing import TYPE_CHECKING

from webapp.domain.audit import utc_now_iso
from webapp.domain.errors import NotFoundError
from webapp.domain.pipeline import ENQUIRY_PERSONAL_FIELDS, PROJECT_PERSONAL_FIELDS, Enquiry
from webapp.store.pipeline_records import Session, insert_audit

if TYPE_CHECKING:
    from webapp.store.pipeline_sql import SQLPipeline


def _personal_left(record: object, names: tuple[str, ...]) -> bool:
    return record is not None and any(getattr(record, name) is not None for name in names)


def _blank_audit_values(pipeline: "SQLPipeline", session: Session, record: str,
                        record_id: int, fields: tuple[str, ...]) -> None:
    blank = pipeline.database.json_param(None)
    session.run(f"UPDATE {pipeline.names.changes} SET old_value = ?, new_value = ? "
                f"WHERE record = ? AND record_id = ? AND field IN ({', '.join('?' * len(fields))})",
                (blank, blank, record, record_id, *fields))


def erase_enquiry(pipeline: "SQLPipeline", enquiry_id: int, actor: str) -> Enquiry:
    """PipelineStore.erase_enquiry: personal data set to None in the records and their audit
    rows, versions bumped, one `erased` row; a second erasure finds nothing left and writes
    nothing."""
    names = pipeline.names
    with pipeline.database.write() as session:
        current = pipeline.read_enquiry(session, enquiry_id, lock=True)
        if current is None:
            raise NotFoundError(f"no enquiry has the id {enquiry_id}")
        project = pipeline.read_project(session, current.project_id, lock=True)
        if current.erased_at is not None and not _personal_left(
                current, ENQUIRY_PERSONAL_FIELDS) and not _personal_left(
                project, PROJECT_PERSONAL_FIELDS):
            return current
        now, version = utc_now_iso(), current.version + 1
        cleared = ", ".join(f"{name} = NULL" for name in ENQUIRY_PERSONAL_FIELDS)
        session.run(f"UPDATE {names.enquiries} SET {cleared}, erased_at = ?, erased_by = ?, "
                    "version = ? WHERE id = ?", (now, actor, version, enquiry_id))
        _blank_audit_values(pipeline, session, "enquiry", enquiry_id, ENQUIRY_PERSONAL_FIELDS)
        if project is not None:
            cleared = ", ".join(f"{name} = NULL" for name in PROJECT_PERSONAL_FIELDS)
            session.run(f"UPDATE {names.projects} SET {cleared}, version = version + 1, "
                        "updated_at = ? WHERE id = ?", (now, project.id))
            _blank_audit_values(pipeline, session, "project", project.id,
                                PROJECT_PERSONAL_FIELDS)
        insert_audit(session, pipeline.database, names, [
            (now, actor, "enquiry", enquiry_id, "erased", None, None, "erasure", version)])
        return pipeline.read_enquiry(session, enquiry_id)  # type: ignore[return-value]
