"""What store.pipeline must do on every backend: enquiries, projects, notes, problems, their
audit trail, versions and unknown ids (records, erasure and loading: test_pipeline_records)."""

import re

import pytest

from tests.store import pipeline_fixtures
from tests.store.pipeline_fixtures import (
    ACTOR,
    HUGE_IDS,
    enquiry_values,
    project_values,
    today,
)
from webapp.domain.audit import utc_now_iso
from webapp.domain.errors import ConflictError, NotFoundError
from webapp.domain.pipeline import ProblemFilter, ProjectFilter

# The shared fixtures, bound here so pytest finds them.
shared_store, pipeline = pipeline_fixtures.shared_store, pipeline_fixtures.pipeline
marker = pipeline_fixtures.marker

REFERENCE = re.compile(r"ZS-\d{8}-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}")


def history(pipeline, record, record_id):
    """A record's audit rows, oldest first, as (field, old, new, source, version)."""
    rows = pipeline.changes(record, record_id, limit=100).records
    return [(c.field, c.old_value, c.new_value, c.source, c.version) for c in reversed(rows)]


# Enquiries ---------------------------------------------------------------------------------

def test_add_enquiry_keeps_values_typed_and_assigns_the_rest(pipeline):
    enquiry = pipeline.add_enquiry(enquiry_values())
    assert pipeline.enquiry(enquiry.id) == enquiry
    assert enquiry.parcel_codes == ("GX-001", "GX-002")
    assert enquiry.investment_wan == 12500.5 and isinstance(enquiry.jobs, int)
    assert (enquiry.status, enquiry.version, enquiry.project_id) == ("new", 1, None)
    assert REFERENCE.fullmatch(enquiry.reference)
    assert enquiry.reference[3:11] == today().replace("-", "")
    assert enquiry.received_at[:10] == utc_now_iso()[:10]


def test_add_enquiry_writes_a_created_audit_row(pipeline):
    enquiry = pipeline.add_enquiry(enquiry_values(parcel_codes=()))
    (change,) = pipeline.changes("enquiry", enquiry.id).records
    assert (change.field, change.new_value, change.actor, change.source, change.version) == (
        "created", enquiry.reference, "investor", "form", 1)
    assert pipeline.enquiry(enquiry.id).parcel_codes == ()


def test_add_enquiry_references_are_unique(pipeline):
    references = {pipeline.add_enquiry(enquiry_values()).reference for _ in range(15)}
    assert len(references) == 15


@pytest.mark.parametrize("values", [{"surprise": 1}, {"status": "converted"}, {"id": 5}])
def test_add_enquiry_refuses_other_fields(pipeline, values):
    with pytest.raises(ValueError):
        pipeline.add_enquiry(enquiry_values(**values))


def test_enquiries_newest_first_with_paging_and_count(pipeline):
    made = [pipeline.add_enquiry(enquiry_values()) for _ in range(3)]
    every = pipeline.enquiries(limit=3)
    assert [e.id for e in every.records] == [e.id for e in reversed(made)]
    assert every.number_matched >= 3
    page = pipeline.enquiries(limit=2, offset=1)
    assert [e.id for e in page.records] == [made[1].id, made[0].id]


def test_enquiries_of_one_status(pipeline):
    closed = pipeline.add_enquiry(enquiry_values())
    pipeline.update_enquiry(closed.id, {"status": "closed"}, 1, ACTOR)
    page = pipeline.enquiries(status="closed", limit=1000)
    assert closed.id in [e.id for e in page.records]
    assert {e.status for e in page.records} == {"closed"}
    assert page.number_matched == len(page.records)


def test_update_enquiry_audits_old_and_new(pipeline):
    enquiry = pipeline.add_enquiry(enquiry_values())
    updated = pipeline.update_enquiry(enquiry.id, {"status": "read"}, 1, ACTOR)
    assert (updated.status, updated.version) == ("read", 2)
    assert history(pipeline, "enquiry", enquiry.id)[-1] == ("status", "new", "read", "form", 2)


def test_update_enquiry_same_value_writes_nothing(pipeline):
    enquiry = pipeline.add_enquiry(enquiry_values())
    assert pipeline.update_enquiry(enquiry.id, {"status": "new"}, 1, ACTOR) == enquiry
    assert len(history(pipeline, "enquiry", enquiry.id)) == 1


def test_update_enquiry_stale_version_is_a_conflict(pipeline):
    enquiry = pipeline.add_enquiry(enquiry_values())
    pipeline.update_enquiry(enquiry.id, {"status": "read"}, 1, ACTOR)
    with pytest.raises(ConflictError) as raised:
        pipeline.update_enquiry(enquiry.id, {"status": "closed"}, 1, ACTOR)
    assert raised.value.current == pipeline.enquiry(enquiry.id)
    assert raised.value.current.status == "read"


@pytest.mark.parametrize("changes", [{"company": "x"}, {"status; DROP TABLE x": "new"},
                                     {"version": 9}, {"status": "spam"}])
def test_update_enquiry_refuses_other_fields_and_values(pipeline, changes):
    enquiry = pipeline.add_enquiry(enquiry_values())
    with pytest.raises(ValueError):
        pipeline.update_enquiry(enquiry.id, changes, None, ACTOR)
    assert pipeline.enquiry(enquiry.id) == enquiry


# Projects ----------------------------------------------------------------------------------

def test_add_project_defaults_and_created_row(pipeline):
    project = pipeline.add_project(project_values(), ACTOR)
    assert pipeline.project(project.id) == project
    assert (project.stage, project.stage_since, project.version) == ("lead", today(), 1)
    assert (project.signed_on, project.started_on, project.enquiry_id) == (None, None, None)
    assert project.parcel_codes == ("GX-001",)
    assert project.investment_wan == 30000.0 and project.jobs == 200
    assert history(pipeline, "project", project.id) == [
        ("created", None, "精密齿轮项目", "form", 1)]


def test_add_project_starting_signed_has_its_date(pipeline):
    project = pipeline.add_project(project_values(stage="signed"), ACTOR)
    assert (project.stage, project.signed_on, project.started_on) == ("signed", today(), None)


@pytest.mark.parametrize("values", [{"name": ""}, {"name": None}, {"stage": "won"},
                                    {"stage_since": "2020-01-01"}, {"owner = 1 --": "x"}])
def test_add_project_refuses_bad_values(pipeline, values):
    with pytest.raises(ValueError):
        pipeline.add_project(project_values(**values), ACTOR)


def test_update_project_audits_each_changed_field(pipeline):
    project = pipeline.add_project(project_values(), ACTOR)
    updated = pipeline.update_project(project.id, {
        "investment_wan": 45000.5, "jobs": 250, "parcel_codes": ("GX-003", "GX-001"),
        "owner": "editor1", "next_action": None}, 1, "editor2")
    assert updated.version == 2 and updated.parcel_codes == ("GX-003", "GX-001")
    assert updated.next_action is None and updated.updated_at >= project.updated_at
    assert sorted(history(pipeline, "project", project.id)[1:]) == [
        ("investment_wan", 30000.0, 45000.5, "form", 2), ("jobs", 200, 250, "form", 2),
        ("next_action", "约谈企业", None, "form", 2),
        ("parcel_codes", "GX-001", "GX-003,GX-001", "form", 2)]
    assert {c.actor for c in pipeline.changes("project", project.id).records} == {
        ACTOR, "editor2"}


def test_update_project_unchanged_values_are_not_written(pipeline):
    project = pipeline.add_project(project_values(), ACTOR)
    same = pipeline.update_project(project.id, {"jobs": 200, "parcel_codes": ["GX-001"]}, 1,
                                   ACTOR)
    assert same == project
    assert len(history(pipeline, "project", project.id)) == 1


def test_update_project_stage_dates(pipeline):
    project = pipeline.add_project(project_values(), ACTOR)
    for version, stage in enumerate(("negotiating", "signed", "started", "signed"), 1):
        project = pipeline.update_project(project.id, {"stage": stage}, version, ACTOR)
    assert (project.stage, project.stage_since) == ("signed", today())
    assert (project.signed_on, project.started_on) == (today(), today())
    stages = [row[1:3] for row in history(pipeline, "project", project.id)[1:]]
    assert stages == [("lead", "negotiating"), ("negotiating", "signed"),
                      ("signed", "started"), ("started", "signed")]


def test_update_project_dropped_keeps_its_reason(pipeline):
    project = pipeline.add_project(project_values(), ACTOR)
    dropped = pipeline.update_project(project.id, {"stage": "dropped",
                                                   "drop_reason": "企业转投外地"}, 1, ACTOR)
    assert (dropped.stage, dropped.drop_reason) == ("dropped", "企业转投外地")


def test_update_project_stale_version_is_a_conflict_and_changes_nothing(pipeline):
    project = pipeline.add_project(project_values(), ACTOR)
    pipeline.update_project(project.id, {"jobs": 1}, 1, ACTOR)
    with pytest.raises(ConflictError) as raised:
        pipeline.update_project(project.id, {"jobs": 2, "owner": "x"}, 1, ACTOR)
    assert raised.value.current == pipeline.project(project.id)
    assert (raised.value.current.jobs, raised.value.current.owner) == (1, "editor1")


def test_update_project_without_version_skips_the_check(pipeline):
    project = pipeline.add_project(project_values(), ACTOR)
    pipeline.update_project(project.id, {"jobs": 1}, 1, ACTOR)
    assert pipeline.update_project(project.id, {"jobs": 2}, None, ACTOR).version == 3


@pytest.mark.parametrize("changes", [{"stage_since": "2020-01-01"}, {"enquiry_id": 1},
                                     {"version": 5}, {"name; --": "x"}, {"stage": "won"},
                                     {"name": "  "}])
def test_update_project_refuses_other_fields_and_values(pipeline, changes):
    project = pipeline.add_project(project_values(), ACTOR)
    with pytest.raises(ValueError):
        pipeline.update_project(project.id, changes, None, ACTOR)
    assert pipeline.project(project.id) == project


def test_projects_filters(pipeline, marker):
    made = {
        "a": pipeline.add_project(project_values(owner=marker, industry="logistics"), ACTOR),
        "b": pipeline.add_project(project_values(owner=marker, stage="signed",
                                                 street=marker), ACTOR),
        "c": pipeline.add_project(project_values(owner=marker, stage="negotiating",
                                                 parcel_codes=(marker, "GX-9")), ACTOR)}

    def names(**kwargs):
        found = pipeline.projects(ProjectFilter(**kwargs)).records
        return sorted(key for key, p in made.items() if p.id in {f.id for f in found})

    assert names(owner=marker) == ["a", "b", "c"]
    assert names(owner=marker, stages=("signed", "negotiating")) == ["b", "c"]
    assert names(owner=marker, industry="logistics") == ["a"]
    assert names(street=marker) == ["b"]
    assert names(parcel_code=marker) == ["c"]
    assert names(parcel_code="GX-9", owner=marker) == ["c"]


def test_projects_pages_in_update_order_with_count(pipeline, marker):
    made = [pipeline.add_project(project_values(owner=marker), ACTOR) for _ in range(3)]
    pipeline.update_project(made[0].id, {"jobs": 7}, 1, ACTOR)
    page = pipeline.projects(ProjectFilter(owner=marker))
    assert page.number_matched == 3
    assert [p.id for p in page.records] == [p.id for p in sorted(
        page.records, key=lambda p: (p.updated_at, p.id), reverse=True)]
    second = pipeline.projects(ProjectFilter(owner=marker), limit=1, offset=1)
    assert second.records == page.records[1:2] and second.number_matched == 3


def test_notes_newest_first_verbatim(pipeline):
    project = pipeline.add_project(project_values(), ACTOR)
    first = pipeline.add_note(project.id, "第一次拜访\n<b>企业</b>", ACTOR)
    second = pipeline.add_note(project.id, "second", "editor2")
    assert pipeline.notes(project.id) == [second, first]
    assert (first.text, first.author, first.project_id) == ("第一次拜访\n<b>企业</b>", ACTOR,
                                                            project.id)


# Problems ----------------------------------------------------------------------------------

def test_add_problem_defaults(pipeline):
    project = pipeline.add_project(project_values(), ACTOR)
    problem = pipeline.add_problem({"project_id": project.id, "title": "规划审批未完成",
                                    "department": "自然资源局", "due_date": "2026-05-01"}, ACTOR)
    assert pipeline.problem(problem.id) == problem
    assert (problem.status, problem.public, problem.solved_at, problem.version) == (
        "open", False, None, 1)
    assert history(pipeline, "problem", problem.id) == [
        ("created", None, "规划审批未完成", "form", 1)]


@pytest.mark.parametrize("values", [
    {"title": "t", "department": "d"},
    {"project_id": 1, "parcel_code": "GX-001", "title": "t", "department": "d"},
    {"parcel_code": "GX-001", "title": "", "department": "d"},
    {"parcel_code": "GX-001", "title": "t"},
    {"parcel_code": "GX-001", "title": "t", "department": "d", "status": "later"},
    {"parcel_code": "GX-001", "title": "t", "department": "d", "solved_at": "x"}])
def test_add_problem_refuses_bad_values(pipeline, values):
    with pytest.raises(ValueError):
        pipeline.add_problem(values, ACTOR)


def test_problems_open_first_then_due_date_none_last(pipeline, marker):
    def add(title, due=None, status="open"):
        return pipeline.add_problem({"parcel_code": marker, "title": title, "department": "d",
                                     "due_date": due, "status": status}, ACTOR)

    late, none, early, solved = (add("late", "2026-09-01"), add("none"),
                                 add("early", "2026-01-01"), add("solved", "2025-01-01", "solved"))
    found = pipeline.problems(ProblemFilter(parcel_code=marker))
    assert [p.id for p in found] == [early.id, late.id, none.id, solved.id]
    assert solved.solved_at is not None
    assert [p.id for p in pipeline.problems(ProblemFilter(parcel_code=marker,
                                                          status="solved"))] == [solved.id]


def test_problems_filter_by_project_and_department(pipeline, marker):
    project = pipeline.add_project(project_values(), ACTOR)
    mine = pipeline.add_problem({"project_id": project.id, "title": "t",
                                 "department": marker}, ACTOR)
    pipeline.add_problem({"parcel_code": "GX-001", "title": "t", "department": marker}, ACTOR)
    assert [p.id for p in pipeline.problems(ProblemFilter(project_id=project.id))] == [mine.id]
    assert len(pipeline.problems(ProblemFilter(department=marker))) == 2


def test_problems_public_only_lists_public_parcel_problems(pipeline, marker):
    shown = pipeline.add_problem({"parcel_code": marker, "title": "历史遗留问题",
                                  "department": "d", "public": True}, ACTOR)
    pipeline.add_problem({"parcel_code": marker, "title": "internal", "department": "d"}, ACTOR)
    found = pipeline.problems(ProblemFilter(parcel_code=marker, public_only=True))
    assert [p.id for p in found] == [shown.id] and found[0].public is True


def test_update_problem_solving_and_reopening(pipeline):
    problem = pipeline.add_problem({"parcel_code": "GX-002", "title": "拆迁",
                                    "department": "街道"}, ACTOR)
    solved = pipeline.update_problem(problem.id, {"status": "solved", "public": True}, 1, ACTOR)
    assert solved.solved_at is not None and solved.version == 2 and solved.public is True
    reopened = pipeline.update_problem(problem.id, {"status": "open"}, 2, ACTOR)
    assert reopened.solved_at is None
    rows = history(pipeline, "problem", problem.id)
    assert sorted(rows[1:3]) == [("public", False, True, "form", 2),
                                 ("status", "open", "solved", "form", 2)]
    assert rows[3:] == [("status", "solved", "open", "form", 3)]
    with pytest.raises(ConflictError) as raised:
        pipeline.update_problem(problem.id, {"notes": "x"}, 2, ACTOR)
    assert raised.value.current == reopened


@pytest.mark.parametrize("changes", [{"parcel_code": "X"}, {"solved_at": "x"},
                                     {"status": "done"}, {"department": ""}])
def test_update_problem_refuses_other_fields_and_values(pipeline, changes):
    problem = pipeline.add_problem({"parcel_code": "GX-002", "title": "t",
                                    "department": "d"}, ACTOR)
    with pytest.raises(ValueError):
        pipeline.update_problem(problem.id, changes, None, ACTOR)


# Unknown ids -------------------------------------------------------------------------------

@pytest.mark.parametrize("unknown", HUGE_IDS)
def test_unknown_ids_read_as_none_or_empty(pipeline, unknown):
    assert pipeline.enquiry(unknown) is None
    assert pipeline.project(unknown) is None
    assert pipeline.problem(unknown) is None
    assert pipeline.notes(unknown) == []
    assert pipeline.problems(ProblemFilter(project_id=unknown)) == []
    assert pipeline.changes("project", unknown).records == []


@pytest.mark.parametrize("unknown", HUGE_IDS)
def test_unknown_ids_in_writes_are_not_found(pipeline, unknown):
    for write in (lambda: pipeline.update_enquiry(unknown, {"status": "read"}, None, ACTOR),
                  lambda: pipeline.erase_enquiry(unknown, ACTOR),
                  lambda: pipeline.update_project(unknown, {"jobs": 1}, None, ACTOR),
                  lambda: pipeline.add_note(unknown, "x", ACTOR),
                  lambda: pipeline.update_problem(unknown, {"title": "x"}, None, ACTOR),
                  lambda: pipeline.add_problem({"project_id": unknown, "title": "t",
                                                "department": "d"}, ACTOR),
                  lambda: pipeline.add_project(project_values(), ACTOR, enquiry_id=unknown)):
        with pytest.raises(NotFoundError):
            write()


def test_text_with_a_nul_character_is_refused_alike(pipeline):
    """PostgreSQL text cannot hold NUL: every store refuses it the same way."""
    with pytest.raises(ValueError):
        pipeline.add_enquiry(enquiry_values(message="a\x00b"))
    project = pipeline.add_project(project_values(), ACTOR)
    for write in (lambda: pipeline.update_project(project.id, {"name": "x\x00"}, None, ACTOR),
                  lambda: pipeline.update_project(project.id, {"parcel_codes": ("\x00",)}, None,
                                                  ACTOR),
                  lambda: pipeline.add_note(project.id, "\x00", ACTOR),
                  lambda: pipeline.add_problem({"parcel_code": "\x00", "title": "t",
                                                "department": "d"}, ACTOR)):
        with pytest.raises(ValueError):
            write()
    assert pipeline.project(project.id) == project and pipeline.notes(project.id) == []
