"""The problem-list form parser (问题清单): typed values, per-field messages, partial edits."""

import pytest

from webapp.domain.errors import InvalidEditError
from webapp.domain.pipeline import PipelineChange, Problem
from webapp.domain.problem_edits import (
    merged_problem_values,
    parse_new_problem,
    parse_problem_changes,
    problem_conflict_rows,
)

VALID = {"title": " 规划审批未完成 ", "department": "自然资源和规划局", "due_date": "2026-03-31",
         "notes": "205 沿江带", "public": "true"}


def problems_of(form, for_parcel=True, new=True):
    parse = parse_new_problem if new else parse_problem_changes
    with pytest.raises(InvalidEditError) as caught:
        parse(form, for_parcel=for_parcel)
    return {name: message % params if params else message
            for name, (message, params) in caught.value.fields.items()}


def test_new_problem_is_typed_and_open():
    assert parse_new_problem(VALID, for_parcel=True) == {
        "title": "规划审批未完成", "department": "自然资源和规划局", "due_date": "2026-03-31",
        "notes": "205 沿江带", "public": True, "status": "open"}


def test_new_problem_without_optional_fields():
    values = parse_new_problem({"title": "拆迁", "department": "街道"}, for_parcel=True)
    assert (values["due_date"], values["notes"], values["public"]) == (None, None, False)


def test_project_problem_is_never_public():
    assert parse_new_problem(VALID, for_parcel=False)["public"] is False


def test_project_problem_ignores_a_bad_public_value():
    assert parse_new_problem({**VALID, "public": "maybe"}, for_parcel=False)["public"] is False


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("title", "", "is required"),
    ("title", "   ", "is required"),
    ("title", "问" * 201, "is longer than 200 characters"),
    ("department", "", "is required"),
    ("department", "局" * 101, "is longer than 100 characters"),
    ("notes", "x" * 2001, "is longer than 2000 characters"),
    ("due_date", "31/03/2026", "“31/03/2026” is not a date like 2026-03-31"),
    ("due_date", "2026-02-30", "“2026-02-30” is not a date like 2026-03-31"),
    ("due_date", "２０２６-03-31", "“２０２６-03-31” is not a date like 2026-03-31"),
    ("due_date", "1999-12-31", "must be a date from 2000-01-01 to 2099-12-31"),
    ("public", "perhaps", "must be true or false"),
])
def test_new_problem_bad_field_has_message(field, typed, message):
    assert problems_of({**VALID, field: typed}) == {field: message}


def test_new_problem_reports_every_bad_field_at_once():
    assert set(problems_of({"title": "", "department": "", "due_date": "x"})) == {
        "title", "department", "due_date"}


def test_problem_changes_parse_only_the_fields_sent():
    assert parse_problem_changes({"status": "solved"}, for_parcel=False) == {"status": "solved"}


def test_problem_changes_refuse_unknown_status():
    assert problems_of({"status": "done"}, new=False) == {
        "status": "unknown value “done”; use one of open, solved"}


def test_problem_changes_of_a_project_drop_public():
    assert parse_problem_changes({"public": "true", "title": "x"}, for_parcel=False) == {
        "title": "x"}


def make_problem(**changes):
    values = {"id": 1, "project_id": None, "parcel_code": "G-1", "title": "旧", "department": "局",
              "due_date": None, "status": "open", "notes": None, "public": False,
              "created_at": "t", "updated_at": "t", "solved_at": None, "version": 3}
    return Problem(**{**values, **changes})


def change(field, old, new, version):
    return PipelineChange(id=version, changed_at="2026-03-01T00:00:00Z", actor="other",
                          record="problem", record_id=1, field=field, old_value=old,
                          new_value=new, source="form", version=version)


def test_conflict_rows_show_their_changes_and_yours():
    current = make_problem(title="他们的", status="solved")
    since = [change("status", "open", "solved", 3), change("title", "旧", "他们的", 2)]
    submitted = {"title": "我的", "department": "局", "status": "open", "due_date": "",
                 "notes": "", "public": "false"}
    rows = {row.field: row for row in problem_conflict_rows(current, since, submitted)}
    assert set(rows) == {"title", "status"}
    assert (rows["title"].opened_value, rows["title"].you_changed) == ("旧", True)
    assert rows["status"].you_changed is False


def test_conflict_merge_keeps_their_value_where_only_they_changed():
    current = make_problem(title="他们的", status="solved")
    since = [change("status", "open", "solved", 3), change("title", "旧", "他们的", 2)]
    submitted = {"title": "我的", "department": "局", "status": "open", "due_date": "",
                 "notes": "", "public": "false"}
    merged = merged_problem_values(problem_conflict_rows(current, since, submitted), submitted,
                                   current)
    assert (merged["title"], merged["status"]) == ("我的", "solved")
