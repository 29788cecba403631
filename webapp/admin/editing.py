"""Saving staff edits: parse, check ranges against the stored parcel, write with its version."""

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from webapp.admin.fields import value_text
from webapp.domain.audit import ChangeFilter, ParcelChange
from webapp.domain.edits import check_ranges, parse_parcel_changes, parse_value
from webapp.domain.errors import (
    ConflictError,
    InvalidEditError,
    InvalidParameterError,
    NotFoundError,
)
from webapp.domain.landuse import LandUseTable
from webapp.domain.messages import N_
from webapp.domain.parcel import RANGES, Parcel
from webapp.store import ParcelStore

MAX_CONFLICT_CHANGES = 200
RANGE_FIELDS = tuple(name for pair in RANGES for name in pair)


def find_staff_parcel(store: ParcelStore, parcel_id: int) -> Parcel:
    """A parcel by id, drafts included, or NotFoundError."""
    parcel = store.get(parcel_id, include_drafts=True)
    if parcel is None:
        raise NotFoundError(_("No parcel has the number “%(key)s”.", key=parcel_id))
    return parcel


def parse_version(value: str | None) -> int:
    """The parcel version a form was opened at (hidden field `version`)."""
    if not value or not value.strip().isdigit():
        raise InvalidParameterError("version", N_("must be a whole number ≥ 1"))
    return int(value)


def save_parcel_edit(store: ParcelStore, table: LandUseTable, parcel_id: int,
                     values: Mapping[str, object], base_version: int | None,
                     actor: str, source: str) -> Parcel:
    """Parse the values, check ranges together with the stored ones, write them.

    base_version None means "do not check" (VERSION_CHECKS off). Raises InvalidEditError,
    NotFoundError, or ConflictError when the parcel changed after base_version.
    """
    changes = parse_parcel_changes(values, table)
    check_ranges(_with_stored_ranges(find_staff_parcel(store, parcel_id), changes))
    return store.update_parcel(parcel_id, changes, base_version, actor, source)


def _with_stored_ranges(current: Parcel, changes: Mapping[str, object]) -> dict[str, object]:
    return {**{name: getattr(current, name) for name in RANGE_FIELDS}, **changes}


@dataclass(frozen=True)
class ConflictRow:
    """A field someone else changed after the form was opened, beside the user's input."""

    field: str
    opened_value: object
    their_changes: list[ParcelChange]
    current_value: object
    your_input: str


def conflict_rows(store: ParcelStore, error: ConflictError, base_version: int,
                  submitted: Mapping[str, str]) -> list[ConflictRow]:
    """Every field someone else changed since base_version, and every field the user changed,
    each with the value at base_version, the other person's changes and the user's input."""
    current: Parcel = error.current
    since = store.changes(ChangeFilter(parcel_id=current.id, after_version=base_version),
                          limit=MAX_CONFLICT_CHANGES).changes
    by_field: dict[str, list[ParcelChange]] = {}
    for change in reversed(since):  # oldest first
        by_field.setdefault(change.field, []).append(change)
    rows = [ConflictRow(name, changes[0].old_value, changes, getattr(current, name, None),
                        submitted.get(name, "")) for name, changes in by_field.items()]
    rows += [ConflictRow(name, getattr(current, name), [], getattr(current, name), text)
             for name, text in submitted.items()
             if name not in by_field and text.strip() != value_text(getattr(current, name))]
    return rows


def restorable_value(change: ParcelChange, table: LandUseTable) -> object:
    """The value a change replaced, checked again (codes may have gone); InvalidEditError."""
    return parse_value(change.field, change.old_value, table)


def restore_change(store: ParcelStore, table: LandUseTable, change: ParcelChange,
                   base_version: int | None, actor: str) -> Parcel:
    """Put back the value a change replaced, as a new audited change (source `restore`)."""
    value = restorable_value(change, table)
    current = find_staff_parcel(store, change.parcel_id)
    check_ranges(_with_stored_ranges(current, {change.field: value}))
    return store.update_parcel(change.parcel_id, {change.field: value}, base_version, actor,
                               "restore")


def find_change(store: ParcelStore, change_id: int) -> ParcelChange:
    """An audit record by id, or NotFoundError."""
    change = store.get_change(change_id)
    if change is None:
        raise NotFoundError(_("No change has the number “%(key)s”.", key=change_id))
    return change


def is_restorable(change: ParcelChange, table: LandUseTable) -> bool:
    """Whether an admin may put this change's old value back."""
    try:
        restorable_value(change, table)
    except InvalidEditError:
        return False
    return True
