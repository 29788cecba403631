"""The audit trail of parcel edits: one record per changed field, and the change-log filter."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from webapp.domain.errors import InvalidParameterError
from webapp.domain.messages import N_

# How a parcel change was made; `project`: a project's stage change applied on confirmation.
SOURCES = ("form", "api", "import", "restore", "project")
MAX_FILTER_TEXT = 100
CHANGE_FILTER_PARAMETERS = ("parcel", "field", "actor", "source", "since", "until", "page")


@dataclass(frozen=True)
class ParcelChange:
    """One field of one parcel changed: by whom, when (ISO 8601 UTC), from what, to what, how.

    `version` is the parcel's version after the change; `old_value`/`new_value` keep their JSON
    types (text, number, true/false or None).
    """

    id: int
    changed_at: str
    actor: str
    parcel_id: int
    parcel_code: str
    field: str
    old_value: object
    new_value: object
    source: str
    version: int


@dataclass(frozen=True)
class ChangeFilter:
    """Which audit records to list; dates are whole UTC days, `until` inclusive."""

    parcel_id: int | None = None
    parcel_code: str | None = None
    field: str | None = None
    actor: str | None = None
    source: str | None = None
    since: date | None = None
    until: date | None = None
    after_version: int | None = None

    def until_exclusive(self) -> str | None:
        """The first instant after `until`, as an ISO date string to compare with."""
        return (self.until + timedelta(days=1)).isoformat() if self.until else None


@dataclass(frozen=True)
class ChangePage:
    """One page of the change log, newest first, and how many records match in all."""

    changes: list[ParcelChange]
    number_matched: int


def utc_now_iso() -> str:
    """The current time as ISO 8601 UTC to the second, e.g. 2025-03-01T08:00:00+00:00."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _one(name: str, values: list[str]) -> str | None:
    values = [v.strip() for v in values if v.strip()]
    if len(values) > 1:
        raise InvalidParameterError(name, N_("given more than once"))
    if values and len(values[0]) > MAX_FILTER_TEXT:
        raise InvalidParameterError(name, N_("is longer than %(limit)s characters"),
                                    limit=MAX_FILTER_TEXT)
    return values[0] if values else None


def _parse_day(name: str, value: str | None) -> date | None:
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise InvalidParameterError(name, N_("“%(value)s” is not a date like 2025-03-31"),
                                    value=value)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidParameterError(name, N_("“%(value)s” is not a date like 2025-03-31"),
                                    value=value) from None


def parse_change_filter(get_list: Callable[[str], list[str]],
                        fields: tuple[str, ...]) -> ChangeFilter:
    """A ChangeFilter from query values; `fields` are the audited field names."""
    field, source = _one("field", get_list("field")), _one("source", get_list("source"))
    if field is not None and field not in fields:
        raise InvalidParameterError("field", N_("unknown field “%(value)s”"), value=field)
    if source is not None and source not in SOURCES:
        raise InvalidParameterError("source", N_("unknown source “%(value)s”; use one of "
                                                 "%(allowed)s"), value=source,
                                    allowed=", ".join(SOURCES))
    since = _parse_day("since", _one("since", get_list("since")))
    until = _parse_day("until", _one("until", get_list("until")))
    if since and until and since > until:
        raise InvalidParameterError("since", N_("the first day is after the last day"))
    return ChangeFilter(parcel_code=_one("parcel", get_list("parcel")), field=field,
                        actor=_one("actor", get_list("actor")), source=source,
                        since=since, until=until)


def parse_page_number(values: list[str]) -> int:
    """A 1-based page number from ?page= (1 when absent)."""
    value = _one("page", values)
    if value is None:
        return 1
    if not value.isdigit() or int(value) < 1:
        raise InvalidParameterError("page", N_("must be a whole number ≥ 1"))
    return int(value)
