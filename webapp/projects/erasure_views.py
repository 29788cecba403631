"""Erasing an enquirer's personal data on request (个人信息保护法): admins only, after a
confirmation; the store keeps the anonymous figures and writes the `erased` audit row."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.auth.roles import current_actor, role_required
from webapp.domain.errors import NotFoundError
from webapp.domain.local_time import district_time_text
from webapp.domain.pipeline import ENQUIRY_PERSONAL_FIELDS, Enquiry
from webapp.projects import bp
from webapp.services import get_store

CONFIRM_VALUE = "erase"


def find_enquiry(enquiry_id: int) -> Enquiry:
    """An enquiry by id, or NotFoundError."""
    enquiry = get_store().pipeline.enquiry(enquiry_id)
    if enquiry is None:
        raise NotFoundError(_("No enquiry has the number “%(key)s”.", key=enquiry_id))
    return enquiry


@bp.post("/enquiries/<int:enquiry_id>/erase")
@role_required("admin")
def erase_enquiry(enquiry_id: int):
    """Without `confirm=erase`: the confirmation page. With it: erase, then back to the
    enquiry page, which says when and by whom."""
    enquiry = find_enquiry(enquiry_id)
    if request.form.get("confirm") != CONFIRM_VALUE:
        project = enquiry.project_id and get_store().pipeline.project(enquiry.project_id)
        return render_template("projects/erase_confirm.html", enquiry=enquiry, project=project,
                               personal_fields=ENQUIRY_PERSONAL_FIELDS,
                               confirm_value=CONFIRM_VALUE, local_time=district_time_text)
    erased = get_store().pipeline.erase_enquiry(enquiry.id, current_actor())
    flash(_("The personal data of enquiry %(reference)s was erased.",
            reference=erased.reference))
    return redirect(url_for("projects.enquiry", enquiry_id=erased.id), 303)
