"""Assemble and render the staff pages (no request parsing, no SQL)."""

from collections.abc import Mapping

from flask import render_template, request, url_for
from flask_babel import gettext

from webapp.admin.editing import (
    ConflictRow,
    conflict_rows,
    find_change,
    find_staff_parcel,
    is_restorable,
)
from webapp.admin.fields import edit_sections, form_values, value_text
from webapp.admin.texts import (
    display_input,
    display_value,
    field_labels,
    role_names,
    role_titles,
    source_names,
)
from webapp.domain.audit import ChangeFilter, ChangePage
from webapp.domain.edits import EDITABLE_FIELDS
from webapp.domain.errors import ConflictError, InvalidEditError
from webapp.domain.parcel import Parcel
from webapp.public.map_page import language
from webapp.public.texts import status_names
from webapp.services import get_landuse_table, get_store

PAGE_SIZE = 50
HISTORY_LIMIT = 100


def field_messages(error: InvalidEditError) -> dict[str, str]:
    """Each bad field's problem in the user's language."""
    return {name: gettext(message, **params) if params else gettext(message)
            for name, (message, params) in error.fields.items()}


def staff_context() -> dict:
    """Names every staff template uses."""
    return {"labels": field_labels(), "show": display_value, "show_input": display_input,
            "sources": source_names(),
            "roles": role_names(), "role_titles": role_titles(), "status_names": status_names()}


def render_edit_page(parcel: Parcel, values: Mapping[str, str] | None = None,
                     version: int | None = None, errors: Mapping[str, str] | None = None,
                     template: str = "admin/edit.html", **extra) -> str:
    """The edit form with the given input (default: the stored values) and field errors."""
    return render_template(
        template, parcel=parcel, values=values or form_values(parcel),
        version=version or parcel.version, errors=errors or {},
        sections=edit_sections(get_landuse_table(), language()), **staff_context(), **extra)


def merged_values(rows: list[ConflictRow], submitted: Mapping[str, str],
                  current: Parcel) -> dict[str, str]:
    """The user's input, except fields only the other person changed: those take their value."""
    merged = dict(submitted)
    for row in rows:
        if row.field in EDITABLE_FIELDS and not row_you_changed(row):
            merged[row.field] = value_text(getattr(current, row.field))
    return merged


def row_you_changed(row: ConflictRow) -> bool:
    """Whether the user's input differs from the value they started from."""
    return row.your_input.strip() != value_text(row.opened_value)


def render_conflict_page(error: ConflictError, base_version: int,
                         submitted: Mapping[str, str]) -> str:
    """409: the other person's changes beside the user's input, and a merged form to save."""
    current: Parcel = error.current
    rows = conflict_rows(get_store(), error, base_version, submitted)
    return render_edit_page(current, merged_values(rows, submitted, current), current.version,
                            template="admin/conflict.html", rows=rows, base_version=base_version,
                            you_changed=row_you_changed)


def parcel_history(parcel: Parcel) -> ChangePage:
    """The parcel's latest audit records, newest first (for its page)."""
    return get_store().changes(ChangeFilter(parcel_id=parcel.id), limit=HISTORY_LIMIT)


def render_change_log(change_filter: ChangeFilter, page_number: int) -> str:
    """The district's change log, filtered, one page."""
    page = get_store().changes(change_filter, limit=PAGE_SIZE,
                               offset=(page_number - 1) * PAGE_SIZE)
    table = get_landuse_table()
    query = request.args.to_dict()
    return render_template("admin/changes.html", page=page, change_filter=change_filter,
                           page_number=page_number, page_size=PAGE_SIZE,
                           page_url=lambda n: url_for("admin.changes", **{**query, "page": n}),
                           restorable=lambda c: is_restorable(c, table), **staff_context())


def render_restore_page(change_id: int) -> str:
    """Confirm putting back the value an audited change replaced."""
    change = find_change(get_store(), change_id)
    parcel = find_staff_parcel(get_store(), change.parcel_id)
    current_value = getattr(parcel, change.field) if change.field in EDITABLE_FIELDS else None
    return render_template("admin/restore.html", change=change, parcel=parcel,
                           current_value=current_value,
                           restorable=is_restorable(change, get_landuse_table()),
                           **staff_context())
