"""The problem-list form (问题清单): the one parser of submitted problem values, the values a form
shows, and the rows of a conflict page (no Flask).

Forms arrive as text. An add form sends every field; an edit form may send only some of them
(the solve / reopen buttons send `status` alone): fields a form does not send stay as stored.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from webapp.domain.errors import InvalidEditError
from webapp.domain.messages import N_
from webapp.domain.pipeline import PROBLEM_STATUSES, PipelineChange, Problem
from webapp.domain.stored_text import NUL_MESSAGE, holds_nul

PROBLEM_TEXT_LIMITS = {"title": 200, "department": 100, "notes": 2000}
REQUIRED_FIELDS = ("title", "department")
# The fields of the add form, in order; the edit form adds `status`.
ADD_FIELDS = ("title", "department", "due_date", "notes", "public")
EDIT_FIELDS = (*ADD_FIELDS, "status")
FIRST_DUE_DATE, LAST_DUE_DATE = date(2000, 1, 1), date(2099, 12, 31)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TRUE_TEXTS, FALSE_TEXTS = ("true", "on", "1", "yes"), ("false", "off", "0", "no", "")

FieldProblem = tuple[str, dict[str, object]]


class _FieldError(Exception):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.problem: FieldProblem = (message, params)


def _text(name: str, value: str) -> str | None:
    text = value.strip()
    if holds_nul(text):
        raise _FieldError(NUL_MESSAGE)
    if len(text) > PROBLEM_TEXT_LIMITS[name]:
        raise _FieldError(N_("is longer than %(limit)s characters"),
                          limit=PROBLEM_TEXT_LIMITS[name])
    if not text and name in REQUIRED_FIELDS:
        raise _FieldError(N_("is required"))
    return text or None


def parse_due_date(value: str) -> str | None:
    """A due date typed as YYYY-MM-DD (ASCII digits, 2000-2099), as ISO text; None if empty."""
    text = value.strip()
    if not text:
        return None
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise _FieldError(N_("“%(value)s” is not a date like 2026-03-31"), value=text) from None
    if not FIRST_DUE_DATE <= day <= LAST_DUE_DATE:
        raise _FieldError(N_("must be a date from %(first)s to %(last)s"),
                          first=FIRST_DUE_DATE.isoformat(), last=LAST_DUE_DATE.isoformat())
    return day.isoformat()


def _flag(value: str) -> bool:
    text = value.strip().lower()
    if text in TRUE_TEXTS or text in FALSE_TEXTS:
        return text in TRUE_TEXTS
    raise _FieldError(N_("must be true or false"))


def _status(value: str) -> str:
    text = value.strip()
    if text not in PROBLEM_STATUSES:
        raise _FieldError(N_("unknown value “%(value)s”; use one of %(allowed)s"), value=text,
                          allowed=", ".join(PROBLEM_STATUSES))
    return text


def _parse_field(name: str, value: str) -> object:
    if name in PROBLEM_TEXT_LIMITS:
        return _text(name, value)
    if name == "due_date":
        return parse_due_date(value)
    if name == "public":
        return _flag(value)
    return _status(value)


def _parse(form: Mapping[str, str], names: tuple[str, ...], for_parcel: bool) -> dict:
    # Only a parcel's problems are ever shown to investors: a project's `public` is ignored.
    parsed: dict[str, object] = {}
    problems: dict[str, FieldProblem] = {}
    for name in names if for_parcel else tuple(n for n in names if n != "public"):
        try:
            parsed[name] = _parse_field(name, form.get(name, ""))
        except _FieldError as invalid:
            problems[name] = invalid.problem
    if problems:
        raise InvalidEditError(problems)
    return parsed


def parse_new_problem(form: Mapping[str, str], for_parcel: bool) -> dict[str, object]:
    """Typed values of the add form (a missing `public` checkbox means not public; a project's
    problem is never public). Every bad field is reported at once in an InvalidEditError."""
    values = _parse(form, ADD_FIELDS, for_parcel)
    return {**values, "public": bool(values.get("public", False)), "status": "open"}


def parse_problem_changes(form: Mapping[str, str], for_parcel: bool) -> dict[str, object]:
    """Typed values of the fields an edit form sent (only those; others stay as stored)."""
    return _parse(form, tuple(name for name in EDIT_FIELDS if name in form), for_parcel)


def submitted_problem_values(form: Mapping[str, str]) -> dict[str, str]:
    """The edit fields a form sent, as typed (to show them again)."""
    return {name: form[name] for name in EDIT_FIELDS if name in form}


def problem_value_text(value: object) -> str:
    """A stored value as the text an input shows (empty for none)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def problem_form_values(problem: Problem) -> dict[str, str]:
    """The problem's editable values as the text the inputs show."""
    return {name: problem_value_text(getattr(problem, name)) for name in EDIT_FIELDS}


@dataclass(frozen=True)
class ProblemConflictRow:
    """A field someone else changed after the form was opened, or the user changed, beside the
    value it had then, the other person's changes (oldest first) and the user's input."""

    field: str
    opened_value: object
    their_changes: tuple[PipelineChange, ...]
    current_value: object
    your_input: str

    @property
    def you_changed(self) -> bool:
        """Whether the user's input differs from the value they started from."""
        return self.your_input.strip() != problem_value_text(self.opened_value)


def problem_conflict_rows(current: Problem, since: list[PipelineChange],
                          submitted: Mapping[str, str]) -> list[ProblemConflictRow]:
    """Every field changed by others in `since` (the problem's audit rows after the version the
    form was opened at, any order) and every field the user changed."""
    by_field: dict[str, list[PipelineChange]] = {}
    for change in sorted(since, key=lambda c: (c.version, c.id)):
        if change.field in EDIT_FIELDS:
            by_field.setdefault(change.field, []).append(change)
    rows = [ProblemConflictRow(name, changes[0].old_value, tuple(changes),
                               getattr(current, name), submitted.get(name, ""))
            for name, changes in by_field.items()]
    rows += [ProblemConflictRow(name, getattr(current, name), (), getattr(current, name), text)
             for name, text in submitted.items()
             if name not in by_field and text.strip() != problem_value_text(getattr(current,
                                                                                     name))]
    return rows


def merged_problem_values(rows: list[ProblemConflictRow], submitted: Mapping[str, str],
                          current: Problem) -> dict[str, str]:
    """The form to save again: the stored values, with the user's input where they changed a
    field (fields only the other person changed keep the other person's value)."""
    merged = problem_form_values(current)
    changed_by_you = {row.field for row in rows if row.you_changed}
    merged.update({name: text for name, text in submitted.items() if name in changed_by_you})
    return merged
