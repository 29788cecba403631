"""Routes of the problem lists (问题清单) of projects and parcels: add, edit, solve and reopen,
each audited in the pipeline audit trail. Parse the request, call one function, render."""

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from webapp.admin.editing import parse_version
from webapp.admin.pages import field_messages
from webapp.auth.roles import current_actor, role_required
from webapp.domain.errors import ConflictError, InvalidEditError
from webapp.domain.problem_edits import (
    parse_new_problem,
    parse_problem_changes,
    submitted_problem_values,
)
from webapp.projects import bp
from webapp.projects.problem_pages import (
    find_parcel_by_id,
    find_problem,
    find_project,
    problem_context,
    problem_home_url,
    problem_section_context,
    render_new_project_problem,
    render_parcel_problems,
    render_problem_conflict,
    render_problem_edit,
)
from webapp.services import get_store

# templates/projects/_problems.html (on the project page) reads its problems through this,
# and the problem macros (templates/projects/problem_fields.html) their names and dates.
bp.add_app_template_global(problem_section_context, "project_problem_section")
bp.add_app_template_global(problem_context, "problem_context")


@bp.post("/projects/<int:project_id>/problems")
@role_required("editor")
def add_project_problem(project_id: int):
    """Add a problem to a project's list."""
    project = find_project(project_id)
    try:
        values = parse_new_problem(request.form, for_parcel=False)
    except InvalidEditError as error:
        return render_new_project_problem(project, request.form.to_dict(), error), 422
    get_store().pipeline.add_problem({**values, "project_id": project.id}, current_actor())
    flash(_("Problem added: %(title)s", title=values["title"]))
    return redirect(url_for("projects.project", project_id=project.id, _anchor="problems"), 303)


@bp.get("/parcels/<int:parcel_id>/problems")
@role_required("viewer")
def parcel_problems(parcel_id: int):
    """A parcel's problem list, with the add form for editors."""
    return render_parcel_problems(find_parcel_by_id(parcel_id))


@bp.post("/parcels/<int:parcel_id>/problems")
@role_required("editor")
def add_parcel_problem(parcel_id: int):
    """Add a problem to a parcel's list (public ones are shown on its parcel page)."""
    parcel = find_parcel_by_id(parcel_id)
    try:
        values = parse_new_problem(request.form, for_parcel=True)
    except InvalidEditError as error:
        return render_parcel_problems(parcel, request.form.to_dict(), field_messages(error)), 422
    get_store().pipeline.add_problem({**values, "parcel_code": parcel.code}, current_actor())
    flash(_("Problem added: %(title)s", title=values["title"]))
    return redirect(url_for("projects.parcel_problems", parcel_id=parcel.id), 303)


@bp.get("/problems/<int:problem_id>/edit")
@role_required("editor")
def edit_problem(problem_id: int):
    """The edit form with the stored values and the problem's history."""
    return render_problem_edit(find_problem(problem_id))


@bp.post("/problems/<int:problem_id>/edit")
@role_required("editor")
def edit_problem_submit(problem_id: int):
    """Save the fields sent (the whole form, or a solve / reopen button's status) if the problem
    is still at the version the form was opened at."""
    problem = find_problem(problem_id)
    submitted = submitted_problem_values(request.form)
    base = parse_version(request.form.get("version"))
    checked = base if current_app.config["VERSION_CHECKS"] else None
    try:
        changes = parse_problem_changes(request.form, for_parcel=problem.parcel_code is not None)
        saved = get_store().pipeline.update_problem(problem.id, changes, checked, current_actor())
    except InvalidEditError as error:
        return render_problem_edit(problem, submitted, base, field_messages(error)), 422
    except ConflictError as error:
        return render_problem_conflict(error, base, submitted), 409
    flash(_("Saved the problem “%(title)s” (%(status)s).", title=saved.title,
            status=_("solved") if saved.status == "solved" else _("open")))
    return redirect(problem_home_url(saved), 303)
