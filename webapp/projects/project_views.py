"""Project routes (staff): the pipeline as a table or a board, a project's page, new and edited
projects with version checks, and its notes log."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.admin.pages import field_messages
from webapp.auth.roles import current_actor, role_required
from webapp.domain.errors import ConflictError, InvalidEditError
from webapp.domain.local_time import district_today
from webapp.domain.project_edits import parse_note_text
from webapp.domain.project_listing import (
    board_columns,
    filter_query,
    is_overdue,
    parse_pipeline_query,
)
from webapp.projects import bp
from webapp.projects.editing import (
    add_project_from_form,
    find_project,
    parse_version,
    save_project_edit,
    staff_names,
    submitted_values,
)
from webapp.projects.pages import (
    render_conflict_page,
    render_invalid_form,
    render_project_form,
    render_project_page,
)
from webapp.projects.texts import projects_context
from webapp.services import get_store


@bp.get("/projects")
@role_required("viewer")
def pipeline():
    """The projects, filtered, as a table or a board by stage."""
    store = get_store()
    query = parse_pipeline_query(request.args.getlist, staff_names(store))
    projects = store.pipeline.projects(query.project_filter).records
    today = district_today()
    return render_template(
        "projects/pipeline.html", query=query, projects=projects, owners=staff_names(store),
        columns=board_columns(projects, query.project_filter.stages),
        overdue={p.id for p in projects if is_overdue(p, today)},
        filter_pairs=filter_query(query.project_filter), **projects_context())


@bp.get("/projects/new")
@role_required("editor")
def new_project():
    """An empty project form (stage lead)."""
    return render_project_form(None)


@bp.post("/projects/new")
@role_required("editor")
def create_project():
    """Store a new project and open it."""
    submitted = submitted_values(request.form)
    try:
        project = add_project_from_form(get_store(), submitted, current_actor())
    except InvalidEditError as error:
        return render_invalid_form(None, submitted, None, error), 422
    flash(_("Project %(name)s created.", name=project.name))
    return redirect(url_for("projects.project", project_id=project.id), 303)


@bp.get("/projects/<int:project_id>")
@role_required("viewer")
def project(project_id: int):
    """One project: fields, parcels on a map, history, notes, problems."""
    return render_project_page(find_project(get_store(), project_id))


@bp.get("/projects/<int:project_id>/edit")
@role_required("editor")
def edit_project(project_id: int):
    """The edit form with the stored values and their version."""
    found = find_project(get_store(), project_id)
    response = current_app.make_response(render_project_form(found))
    response.headers["ETag"] = f'"{found.version}"'
    return response


@bp.post("/projects/<int:project_id>/edit")
@role_required("editor")
def edit_project_submit(project_id: int):
    """Save if the project is still at the version the form was opened at; a stage change
    then leads to the parcel status proposals."""
    found = find_project(get_store(), project_id)
    submitted = submitted_values(request.form)
    base = parse_version(request.form.get("version"))
    checked = base if current_app.config["VERSION_CHECKS"] else None
    try:
        saved = save_project_edit(get_store(), found.id, submitted, checked, current_actor())
    except InvalidEditError as error:
        return render_invalid_form(found, submitted, base, error), 422
    except ConflictError as error:
        return render_conflict_page(error.current or found, base, submitted), 409
    flash(_("Saved %(name)s (version %(version)s).", name=saved.name, version=saved.version))
    to_status = saved.stage != found.stage and saved.parcel_codes
    target = "projects.parcel_status" if to_status else "projects.project"
    return redirect(url_for(target, project_id=saved.id), 303)


@bp.post("/projects/<int:project_id>/notes")
@role_required("editor")
def add_note(project_id: int):
    """Append a note to the project's log."""
    found = find_project(get_store(), project_id)
    try:
        text = parse_note_text(request.form.get("text"))
    except InvalidEditError as error:
        return render_project_page(found, field_messages(error).get("text"),
                                   request.form.get("text", "")), 422
    get_store().pipeline.add_note(found.id, text, current_actor())
    flash(_("Note added."))
    return redirect(url_for("projects.project", project_id=found.id) + "#notes", 303)
