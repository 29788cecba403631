"""The enquiry inbox (staff): list by status, one enquiry, mark it read or closed, make it a
project in one step."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.auth.roles import current_actor, role_required
from webapp.domain.audit import parse_page_number
from webapp.domain.errors import ConflictError, InvalidParameterError
from webapp.domain.messages import N_
from webapp.domain.pipeline import ENQUIRY_STATUSES
from webapp.domain.project_listing import parse_choice
from webapp.projects import bp
from webapp.projects.editing import find_enquiry, parse_version, project_from_enquiry
from webapp.projects.pages import requirement_url
from webapp.projects.texts import projects_context
from webapp.services import get_store

PAGE_SIZE = 50
INBOX_FILTERS = (*ENQUIRY_STATUSES, "all")
STAFF_STATUSES = ("new", "read", "closed")  # `converted` comes with a project only


def parse_inbox_status(values: list[str]) -> str:
    """The inbox's ?status= (default new; `all` for every enquiry), else 400."""
    return parse_choice("status", values[-1].strip() if values else "", INBOX_FILTERS) or "new"


@bp.get("/enquiries")
@role_required("viewer")
def inbox():
    """Enquiries of one status (new ones by default), newest first, one page."""
    status = parse_inbox_status(request.args.getlist("status"))
    page_number = parse_page_number(request.args.getlist("page"))
    page = get_store().pipeline.enquiries(None if status == "all" else status, limit=PAGE_SIZE,
                                          offset=(page_number - 1) * PAGE_SIZE)
    return render_template("projects/inbox.html", page=page, status=status,
                           statuses=INBOX_FILTERS, page_number=page_number,
                           page_size=PAGE_SIZE, **projects_context())


@bp.get("/enquiries/<int:enquiry_id>")
@role_required("viewer")
def enquiry(enquiry_id: int):
    """One enquiry with everything the investor sent."""
    found = find_enquiry(get_store(), enquiry_id)
    return render_template("projects/enquiry.html", enquiry=found,
                           requirement_url=requirement_url(found.requirement),
                           staff_statuses=STAFF_STATUSES,
                           **projects_context())


@bp.post("/enquiries/<int:enquiry_id>/status")
@role_required("editor")
def enquiry_status(enquiry_id: int):
    """Mark an enquiry new, read or closed (at the version the page showed)."""
    found = find_enquiry(get_store(), enquiry_id)
    status = parse_choice("status", request.form.get("status", "").strip(), STAFF_STATUSES)
    if status is None:
        raise InvalidParameterError("status", N_("is required"))
    base = parse_version(request.form.get("version"))
    checked = base if current_app.config["VERSION_CHECKS"] else None
    try:
        get_store().pipeline.update_enquiry(found.id, {"status": status}, checked,
                                            current_actor())
    except ConflictError:
        raise ConflictError(_("The enquiry changed after you opened it. Open it again and "
                              "repeat.")) from None
    flash(_("Enquiry %(reference)s saved.", reference=found.reference))
    return redirect(url_for("projects.enquiry", enquiry_id=found.id), 303)


@bp.post("/enquiries/<int:enquiry_id>/project")
@role_required("editor")
def enquiry_to_project(enquiry_id: int):
    """Make the enquiry a project (stage lead) and open it."""
    project = project_from_enquiry(get_store(), enquiry_id, current_actor())
    flash(_("Project %(name)s made from the enquiry.", name=project.name))
    return redirect(url_for("projects.project", project_id=project.id), 303)


@bp.app_template_global("new_enquiry_count")
def new_enquiry_count() -> int:
    """How many enquiries are new (the staff bar's inbox link shows it)."""
    return get_store().pipeline.enquiries("new", limit=1).number_matched
