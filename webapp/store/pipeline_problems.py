"""Problems that hold projects and parcels back (问题清单) in the shared SQL pipeline: created
with exactly one of a project and a parcel, listed open first by due date, solved and reopened
with their solved_at, audited like projects."""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from webapp.domain.audit import utc_now_iso
from webapp.domain.errors import NotFoundError
from webapp.domain.pipeline import PROBLEM_EDITABLE, PROBLEM_STATUSES, Problem, ProblemFilter
from webapp.store.pipeline_records import (
    PROBLEM_COLUMNS,
    check_one_of,
    check_text,
    checked_changes,
    insert_audit,
    insert_row,
    is_id,
    problem_from_row,
    select_list,
    stored_value,
)

if TYPE_CHECKING:
    from webapp.store.pipeline_sql import SQLPipeline

PROBLEM_INPUT = ("project_id", "parcel_code", *PROBLEM_EDITABLE)
# Open before solved, then by due date (none last), then id.
PROBLEM_ORDER = "CASE WHEN status = 'open' THEN 0 ELSE 1 END, due_date IS NULL, due_date, id"


def add_problem(pipeline: "SQLPipeline", values: Mapping[str, object], actor: str) -> Problem:
    """PipelineStore.add_problem."""
    unknown = [name for name in values if name not in PROBLEM_INPUT]
    if unknown:
        raise ValueError(f"not problem fields: {', '.join(map(repr, unknown))}")
    row = {name: stored_value(name, values.get(name)) for name in PROBLEM_INPUT}
    if (row["project_id"] is None) == (row["parcel_code"] is None):
        raise ValueError("a problem belongs to exactly one project or one parcel")
    check_text("title", row["title"])
    check_text("department", row["department"])
    row["status"] = row["status"] or "open"
    check_one_of("status", row["status"], PROBLEM_STATUSES)
    now = utc_now_iso()
    row.update(public=bool(row["public"]), created_at=now, updated_at=now, version=1,
               solved_at=now if row["status"] == "solved" else None)
    with pipeline.database.write() as session:
        project_id = row["project_id"]
        if project_id is not None and (not isinstance(project_id, int) or pipeline.read_project(
                session, project_id) is None):
            raise NotFoundError(f"no project has the id {row['project_id']}")
        problem_id = insert_row(session, pipeline.names.problems, row)
        insert_audit(session, pipeline.database, pipeline.names, [
            (now, actor, "problem", problem_id, "created", None, row["title"], "form", 1)])
        return pipeline.read_problem(session, problem_id)  # type: ignore[return-value]


def problems(pipeline: "SQLPipeline", problem_filter: ProblemFilter) -> list[Problem]:
    """PipelineStore.problems."""
    parts, params = ["1 = 1"], list[object]()
    for column in ("project_id", "parcel_code", "status", "department"):
        value = getattr(problem_filter, column)
        if value is not None:
            if column == "project_id" and not is_id(value):
                return []
            parts.append(f"{column} = ?")
            params.append(value)
    if problem_filter.public_only:
        parts.append("public = ? AND parcel_code IS NOT NULL")
        params.append(True)
    with pipeline.database.read() as session:
        rows = session.rows(
            f"SELECT {select_list(PROBLEM_COLUMNS)} FROM {pipeline.names.problems} WHERE "
            f"{' AND '.join(parts)} ORDER BY {PROBLEM_ORDER}", params)
    return [problem_from_row(row) for row in rows]


def update_problem(pipeline: "SQLPipeline", problem_id: int, changes: Mapping[str, object],
                   expected_version: int | None, actor: str) -> Problem:
    """PipelineStore.update_problem: solving sets solved_at, reopening clears it."""
    checked = checked_changes(changes, PROBLEM_EDITABLE, "problem")
    for name in ("title", "department"):
        if name in checked:
            check_text(name, checked[name])
    if "status" in checked:
        check_one_of("status", checked["status"], PROBLEM_STATUSES)
    return pipeline.update_record("problem", pipeline.names.problems, pipeline.read_problem,
                                  problem_id, checked, expected_version, actor, problem_extra)


def problem_extra(current: Problem, diff: Mapping[str, object]) -> dict[str, object]:
    """What a problem update writes besides its changed fields: the time, and solved_at when
    it is solved (cleared when reopened)."""
    now = utc_now_iso()
    extra: dict[str, object] = {"updated_at": now}
    if "status" in diff:
        extra["solved_at"] = now if diff["status"] == "solved" else None
    return extra
