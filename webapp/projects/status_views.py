"""The parcel statuses a project's stage proposes (staff): list them, apply the ticked ones."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.auth.roles import current_actor, role_required
from webapp.projects import bp
from webapp.projects.editing import find_project
from webapp.projects.parcel_status import apply_proposals, parse_confirmed, status_proposals
from webapp.projects.texts import projects_context
from webapp.public.texts import status_names
from webapp.services import get_store


@bp.get("/projects/<int:project_id>/parcel-status")
@role_required("editor")
def parcel_status(project_id: int):
    """The project's parcels whose status its stage proposes to change, to tick and confirm."""
    found = find_project(get_store(), project_id)
    return render_template("projects/parcel_status.html", project=found,
                           proposals=status_proposals(get_store(), found), refused=[],
                           parcel_statuses=status_names(), **projects_context())


@bp.post("/projects/<int:project_id>/parcel-status")
@role_required("editor")
def parcel_status_submit(project_id: int):
    """Apply the ticked proposals, each audited in the parcel's trail (source project)."""
    found = find_project(get_store(), project_id)
    outcome = apply_proposals(get_store(), found, parse_confirmed(request.form,
                                                                  request.form.getlist),
                              current_actor(), current_app.config["VERSION_CHECKS"])
    if outcome.refused:
        return render_template("projects/parcel_status.html", project=found,
                               proposals=status_proposals(get_store(), found),
                               refused=outcome.refused, applied=outcome.applied,
                               parcel_statuses=status_names(), **projects_context()), 409
    if outcome.applied:
        flash(_("Parcel status changed: %(codes)s.",
                codes=", ".join(p.code for p in outcome.applied)))
    else:
        flash(_("No parcel status was changed."))
    return redirect(url_for("projects.project", project_id=found.id), 303)
