"""Reading and writing pipeline records for the staff pages: find them or 404, check project
input against the store, save with versions, and the conflict rows of a stale project edit."""

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from webapp.domain.errors import ConflictError, InvalidParameterError, NotFoundError
from webapp.domain.messages import N_
from webapp.domain.parcel_key import MAX_PARCEL_ID
from webapp.domain.pipeline import PROJECT_EDITABLE, Enquiry, PipelineChange, Project
from webapp.domain.project_edits import ProjectChecks, parse_project_values, values_from_enquiry
from webapp.store import ParcelStore

MAX_CONFLICT_CHANGES = 200


def find_project(store: ParcelStore, project_id: int) -> Project:
    """A project by id, or NotFoundError."""
    project = store.pipeline.project(project_id) if project_id <= MAX_PARCEL_ID else None
    if project is None:
        raise NotFoundError(_("No project has the number “%(key)s”.", key=project_id))
    return project


def find_enquiry(store: ParcelStore, enquiry_id: int) -> Enquiry:
    """An enquiry by id, or NotFoundError."""
    enquiry = store.pipeline.enquiry(enquiry_id) if enquiry_id <= MAX_PARCEL_ID else None
    if enquiry is None:
        raise NotFoundError(_("No enquiry has the number “%(key)s”.", key=enquiry_id))
    return enquiry


def parse_version(value: str | None) -> int:
    """The record version a form was opened at (hidden field `version`)."""
    if not value or not value.strip().isascii() or not value.strip().isdigit():
        raise InvalidParameterError("version", N_("must be a whole number ≥ 1"))
    return int(value)


def staff_names(store: ParcelStore) -> list[str]:
    """The names of the active staff accounts (who may own a project)."""
    return [user.name for user in store.staff.users() if user.active]


def project_checks(store: ParcelStore, kept_owner: str | None = None) -> ProjectChecks:
    """What project input is checked against: active accounts (or the owner the project has
    now), parcels drafts included."""
    return ProjectChecks(staff_names(store),
                         lambda code: store.get(code, include_drafts=True) is not None,
                         kept_owner)


def value_text(value: object) -> str:
    """A stored project value as the text its input shows (codes space-separated)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def form_values(project: Project | None) -> dict[str, str]:
    """A project's editable values as its form's texts (a new project: stage lead)."""
    if project is None:
        return {name: "lead" if name == "stage" else "" for name in PROJECT_EDITABLE}
    return {name: value_text(getattr(project, name)) for name in PROJECT_EDITABLE}


def submitted_values(form: Mapping[str, str]) -> dict[str, str]:
    """Exactly the editable project fields of a submitted form, as typed (missing: empty)."""
    return {name: form.get(name, "") for name in PROJECT_EDITABLE}


def add_project_from_form(store: ParcelStore, submitted: Mapping[str, str], actor: str) -> Project:
    """Parse a new project's form and store it; InvalidEditError for bad input."""
    return store.pipeline.add_project(parse_project_values(submitted, project_checks(store)),
                                      actor)


def save_project_edit(store: ParcelStore, project_id: int, submitted: Mapping[str, str],
                      base_version: int | None, actor: str) -> Project:
    """Parse the form and write it if the project is still at base_version (None: no check).
    InvalidEditError, NotFoundError, or ConflictError(current=stored project)."""
    current = find_project(store, project_id)
    values = parse_project_values(submitted, project_checks(store, current.owner))
    return store.pipeline.update_project(project_id, values, base_version, actor)


def project_from_enquiry(store: ParcelStore, enquiry_id: int, actor: str) -> Project:
    """Make an enquiry a project in one step; ConflictError when it already is one."""
    enquiry = find_enquiry(store, enquiry_id)
    if enquiry.project_id is not None:
        raise ConflictError(_("This enquiry was made project %(id)s already.",
                              id=enquiry.project_id))
    parcels = (store.get(code, include_drafts=True) for code in enquiry.parcel_codes)
    street = next((parcel.street for parcel in parcels if parcel and parcel.street), None)
    return store.pipeline.add_project(values_from_enquiry(enquiry, street), actor,
                                      enquiry_id=enquiry.id)


@dataclass(frozen=True)
class ConflictRow:
    """A field someone else changed after the form was opened, beside the user's input."""

    field: str
    opened_value: object
    their_changes: list[PipelineChange]
    current_value: object
    your_input: str

    @property
    def you_changed(self) -> bool:
        """Whether the user's input differs from the value they started from."""
        return _same_text(self.your_input) != _same_text(value_text(self.opened_value))


def _same_text(text: str) -> str:
    return " ".join(text.replace(",", " ").split())


def conflict_rows(store: ParcelStore, current: Project, base_version: int,
                  submitted: Mapping[str, str]) -> list[ConflictRow]:
    """Every field someone else changed since base_version (with the value then, their
    changes and the user's input), and every other field the user changed."""
    page = store.pipeline.changes("project", current.id, limit=MAX_CONFLICT_CHANGES)
    by_field: dict[str, list[PipelineChange]] = {}
    for change in reversed(page.records):  # oldest first
        if change.version > base_version and change.field in PROJECT_EDITABLE:
            by_field.setdefault(change.field, []).append(change)
    rows = [ConflictRow(name, changes[0].old_value, changes, getattr(current, name),
                        submitted.get(name, "")) for name, changes in by_field.items()]
    rows += [ConflictRow(name, getattr(current, name), [], getattr(current, name), text)
             for name, text in submitted.items()
             if name not in by_field
             and _same_text(text) != _same_text(value_text(getattr(current, name)))]
    return rows


def merged_values(rows: list[ConflictRow], submitted: Mapping[str, str],
                  current: Project) -> dict[str, str]:
    """The user's input, except fields only the other person changed: those take theirs."""
    merged = dict(submitted)
    for row in rows:
        if row.their_changes and not row.you_changed:
            merged[row.field] = value_text(getattr(current, row.field))
    return merged
