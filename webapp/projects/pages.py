"""Assemble and render the pipeline's staff pages (no request parsing, no SQL)."""

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode

from flask import render_template, url_for
from flask_babel import gettext as _

from webapp.admin.fields import FormField
from webapp.admin.pages import field_messages
from webapp.domain.audit import ChangeFilter, ParcelChange
from webapp.domain.errors import InvalidEditError
from webapp.domain.local_time import district_today
from webapp.domain.pipeline import Project
from webapp.domain.project_edits import NOTE_LIMIT, TEXT_LIMITS
from webapp.maps.parcel_map import RenderedMap, build_parcel_map, render_map_parts
from webapp.projects.editing import (
    ConflictRow,
    conflict_rows,
    form_values,
    merged_values,
    staff_names,
)
from webapp.projects.parcel_status import project_parcels
from webapp.projects.texts import field_labels, industry_names, projects_context, stage_names
from webapp.public.map_page import basemap_from_config, map_options
from webapp.services import get_landuse_table, get_store
from webapp.store import ParcelStore

HISTORY_LIMIT = 200


def _field(name: str, kind: str = "text", choices=None, required: bool = False) -> FormField:
    limit = TEXT_LIMITS.get(name) if kind in ("text", "textarea") else None
    return FormField(name, field_labels()[name], kind, required, limit, choices or [])


def project_sections(owners: list[str]) -> list[tuple[str, list[FormField]]]:
    """The project form's sections in order, each a title and its fields."""
    industries = [("", "—"), *industry_names().items()]
    return [
        (_("Project"), [_field("name", required=True), _field("company"),
                        _field("contact"), _field("industry", "select", industries),
                        _field("investment_wan", "number"), _field("jobs", "number")]),
        (_("Stage"), [_field("stage", "select", list(stage_names().items()), True),
                      _field("drop_reason", "textarea")]),
        (_("Parcels and place"), [_field("parcel_codes"), _field("street")]),
        (_("Follow-up"), [_field("owner", "select", [("", "—"), *[(n, n) for n in owners]]),
                          _field("next_action", "textarea"),
                          _field("next_action_due", "date")]),
    ]


def render_project_form(project: Project | None, values: Mapping[str, str] | None = None,
                        version: int | None = None, errors: Mapping[str, str] | None = None,
                        template: str = "projects/edit.html", **extra) -> str:
    """The new-project or edit form with the given input (default: stored values) and errors."""
    return render_template(
        template, project=project, values=values or form_values(project),
        version=version or (project.version if project else 1), errors=errors or {},
        sections=project_sections(staff_names(get_store())), **projects_context(), **extra)


def render_invalid_form(project: Project | None, submitted: Mapping[str, str],
                        version: int | None, error: InvalidEditError) -> str:
    """The form again with the user's input and a message next to each bad field."""
    return render_project_form(project, submitted, version, field_messages(error))


def render_conflict_page(current: Project, base_version: int,
                         submitted: Mapping[str, str]) -> str:
    """409: the other person's changes beside the user's input, and a merged form to save."""
    rows: list[ConflictRow] = conflict_rows(get_store(), current, base_version, submitted)
    return render_project_form(current, merged_values(rows, submitted, current),
                               current.version, template="projects/conflict.html", rows=rows,
                               base_version=base_version)


def project_map(parcels) -> RenderedMap | None:
    """The small map of a project's parcels (None when it has none with a boundary)."""
    shapes = [p.geometry for p in parcels if p.geometry is not None]
    if not shapes:
        return None
    bounds = (min(s.bounds[0] for s in shapes), min(s.bounds[1] for s in shapes),
              max(s.bounds[2] for s in shapes), max(s.bounds[3] for s in shapes))
    options = map_options(parcels, get_landuse_table(), bounds, controls=False)
    return render_map_parts(build_parcel_map(parcels, basemap_from_config(), options,
                                             map_id="project"))


def parcel_status_changes(store: ParcelStore, codes: tuple[str, ...]) -> list[ParcelChange]:
    """The parcel status changes applied from a project stage (parcel audit source `project`)
    of these parcels, newest first: the project's history shows them beside its own."""
    changes = [change for code in codes for change in store.changes(
        ChangeFilter(parcel_code=code, field="status", source="project"),
        limit=HISTORY_LIMIT).changes]
    return sorted(changes, key=lambda change: (change.changed_at, change.id), reverse=True)


def render_project_page(project: Project, note_error: str | None = None,
                        note_text: str = "") -> str:
    """A project: its fields, parcels on a map, history, notes (with the add-note form's
    error and input, if any) and problems."""
    store = get_store()
    parcels = project_parcels(store, project)
    history = store.pipeline.changes("project", project.id, limit=HISTORY_LIMIT)
    return render_template(
        "projects/project.html", project=project, parcels=parcels, rendered=project_map(parcels),
        missing_codes=[c for c in project.parcel_codes if c not in {p.code for p in parcels}],
        history=history, notes=store.pipeline.notes(project.id),
        parcel_changes=parcel_status_changes(store, project.parcel_codes),
        today=district_today().isoformat(), note_limit=NOTE_LIMIT,
        note_error=note_error, note_text=note_text, **projects_context())


def requirement_url(requirement: str | None) -> str | None:
    """The site-selection page of an enquiry's requirement, its query re-encoded."""
    if not requirement:
        return None
    pairs = parse_qsl(requirement.lstrip("?"), keep_blank_values=True)
    return url_for("public.select") + ("?" + urlencode(pairs) if pairs else "")
