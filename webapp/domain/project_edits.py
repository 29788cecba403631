"""The one parser of project form input (no Flask): typed values for the PROJECT_EDITABLE
fields with every bad field reported at once (InvalidEditError), note texts, and the values
an enquiry gives the project made from it."""

import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date

from webapp.domain.errors import InvalidEditError
from webapp.domain.messages import N_
from webapp.domain.pipeline import INDUSTRIES, PROJECT_EDITABLE, STAGES, Enquiry
from webapp.domain.stored_text import NUL_MESSAGE, holds_nul

TEXT_LIMITS = {"name": 100, "company": 200, "contact": 200, "drop_reason": 500, "street": 100,
               "next_action": 500}
NOTE_LIMIT = 2000
MAX_PARCEL_CODES = 50
PARCEL_CODE_LIMIT = 40  # as long as a parcel code may be (domain.edits.TEXT_LIMITS)
MAX_INVESTMENT_WAN = 100_000_000.0  # 1 万亿元: beyond any one project
MAX_JOBS = 1_000_000
CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
CHOICES = {"stage": STAGES, "industry": INDUSTRIES}

Problem = tuple[str, dict[str, object]]


class _FieldError(Exception):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.problem: Problem = (message, params)


@dataclass(frozen=True)
class ProjectChecks:
    """What project values are checked against: the active staff accounts' names (an owner
    must be one, or the project's owner kept as it is: a sample owner, a disabled account) and
    whether a parcel code exists (drafts included)."""

    staff_names: Collection[str]
    parcel_exists: Callable[[str], bool]
    kept_owner: str | None = None


def _text(name: str, value: str) -> str | None:
    text = value.strip()
    if holds_nul(text):
        raise _FieldError(NUL_MESSAGE)
    limit = TEXT_LIMITS.get(name, 200)
    if len(text) > limit:
        raise _FieldError(N_("is longer than %(limit)s characters"), limit=limit)
    return text or None


def _number(text: str) -> float | None:
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise _FieldError(N_("“%(value)s” is not a number"), value=text) from None
    if not math.isfinite(value) or value < 0:
        raise _FieldError(N_("must be a number ≥ %(minimum)s"), minimum=0)
    if value > MAX_INVESTMENT_WAN:
        raise _FieldError(N_("must be at most %(maximum)s"), maximum=f"{MAX_INVESTMENT_WAN:,.0f}")
    return value


def _whole_number(text: str) -> int | None:
    value = _number(text)
    if value is None:
        return None
    if value != int(value) or value > MAX_JOBS:
        raise _FieldError(N_("must be a whole number from %(minimum)s to %(maximum)s"),
                          minimum=0, maximum=f"{MAX_JOBS:,}")
    return int(value)


def parse_iso_date(text: str) -> str | None:
    """A calendar date typed as YYYY-MM-DD (ASCII digits), or None for empty text."""
    text = text.strip()
    if not text:
        return None
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise _FieldError(N_("“%(value)s” is not a date like 2026-03-31"), value=text) from None


def _choice(name: str, text: str) -> str | None:
    value = text.strip()
    if not value:
        if name == "stage":
            raise _FieldError(N_("is required"))
        return None
    if value not in CHOICES[name]:
        raise _FieldError(N_("unknown value “%(value)s”; use one of %(allowed)s"), value=value,
                          allowed=", ".join(CHOICES[name]))
    return value


def _owner(text: str, checks: ProjectChecks) -> str | None:
    name = text.strip()
    if not name:
        return None
    if name == checks.kept_owner:
        return name
    for staff_name in checks.staff_names:
        if staff_name.casefold() == name.casefold():
            return staff_name
    raise _FieldError(N_("“%(value)s” is not an active staff account"), value=name)


def split_parcel_codes(text: str) -> tuple[str, ...]:
    """Parcel codes separated by spaces, commas (also ，、) or semicolons, duplicates dropped."""
    return tuple(dict.fromkeys(code for code in CODE_SEPARATORS.split(text) if code))


def _parcel_codes(text: str, checks: ProjectChecks) -> tuple[str, ...]:
    codes = split_parcel_codes(text)
    if len(codes) > MAX_PARCEL_CODES:
        raise _FieldError(N_("name at most %(limit)s parcels"), limit=MAX_PARCEL_CODES)
    too_long = [code for code in codes if len(code) > PARCEL_CODE_LIMIT]
    if too_long:
        raise _FieldError(N_("is longer than %(limit)s characters"), limit=PARCEL_CODE_LIMIT)
    unknown = [code for code in codes if not checks.parcel_exists(code)]
    if unknown:
        raise _FieldError(N_("no parcel has the code %(codes)s"), codes=", ".join(unknown))
    return codes


def _parse_field(name: str, text: str, checks: ProjectChecks) -> object:
    if name in ("investment_wan",):
        return _number(text)
    if name == "jobs":
        return _whole_number(text)
    if name in CHOICES:
        return _choice(name, text)
    if name == "next_action_due":
        return parse_iso_date(text)
    if name == "owner":
        return _owner(text, checks)
    if name == "parcel_codes":
        return _parcel_codes(text, checks)
    value = _text(name, text)
    if name == "name" and value is None:
        raise _FieldError(N_("is required"))
    return value


def parse_project_values(values: Mapping[str, object],
                         checks: ProjectChecks) -> dict[str, object]:
    """Typed values of the PROJECT_EDITABLE fields given (other names are ignored, missing
    ones not set): name required, numbers ≥ 0, jobs whole, stage and industry from their
    lists, dates YYYY-MM-DD, the owner an active account, parcel codes existing parcels, and
    a drop reason when the stage is dropped. InvalidEditError names every bad field."""
    parsed: dict[str, object] = {}
    problems: dict[str, Problem] = {}
    for name in PROJECT_EDITABLE:
        if name not in values:
            continue
        value = values[name]
        try:
            if not isinstance(value, str):
                raise _FieldError(N_("must be text"))
            parsed[name] = _parse_field(name, value, checks)
        except _FieldError as invalid:
            problems[name] = invalid.problem
    if parsed.get("stage") == "dropped" and not parsed.get("drop_reason") \
            and "drop_reason" not in problems:
        problems["drop_reason"] = (N_("is required when the project is dropped"), {})
    if problems:
        raise InvalidEditError(problems)
    return parsed


def parse_note_text(value: str | None) -> str:
    """The text of a new note: required, at most NOTE_LIMIT characters."""
    text = (value or "").strip()
    if not text:
        raise InvalidEditError({"text": (N_("is required"), {})})
    if holds_nul(text):
        raise InvalidEditError({"text": (NUL_MESSAGE, {})})
    if len(text) > NOTE_LIMIT:
        raise InvalidEditError({"text": (N_("is longer than %(limit)s characters"),
                                         {"limit": NOTE_LIMIT})})
    return text


def values_from_enquiry(enquiry: Enquiry, street: str | None = None) -> dict[str, object]:
    """The project an enquiry becomes: named after the company (else the contact, else the
    reference), at stage lead, with the enquiry's industry, investment, jobs and parcels, and
    `street` (its parcels' street)."""
    contact = " ".join(part for part in (enquiry.contact_name, enquiry.phone, enquiry.email)
                       if part)
    name = enquiry.company or enquiry.contact_name or enquiry.reference
    return {"name": name[:TEXT_LIMITS["name"]], "company": enquiry.company,
            "contact": contact[:TEXT_LIMITS["contact"]] or None, "industry": enquiry.industry,
            "investment_wan": enquiry.investment_wan, "jobs": enquiry.jobs,
            "parcel_codes": tuple(enquiry.parcel_codes), "stage": "lead", "street": street}
