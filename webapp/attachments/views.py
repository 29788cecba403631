"""Routes of parcel photos and documents: the staff page of a parcel's files (attach, caption,
order, internal flag, remove, history) and the files themselves."""

from flask import current_app, redirect, request, url_for
from flask_babel import gettext as _

from webapp.attachments import bp
from webapp.attachments.forms import (
    find_parcel_for_staff,
    parse_attachment_edit,
    parse_new_attachments,
    render_manage_page,
)
from webapp.attachments.refusal import AttachmentRefusedError
from webapp.attachments.serving import file_response, visible_attachment
from webapp.auth.roles import current_actor, role_required
from webapp.domain.errors import NotFoundError
from webapp.services import get_store


@bp.get("/parcels/<path:code>")
@role_required("viewer")
def manage(code: str):
    """A parcel's photos and documents, the upload form and their history."""
    return render_manage_page(find_parcel_for_staff(code))


@bp.post("/parcels/<path:code>")
@role_required("editor")
def upload(code: str):
    """Attach the uploaded files (all or none: one refused file refuses the upload)."""
    parcel = find_parcel_for_staff(code)
    try:
        checked, caption, internal = parse_new_attachments(request, current_app.config)
    except AttachmentRefusedError as error:
        return render_manage_page(parcel, [_(error.message, **error.params)]), error.status
    for new in checked:
        get_store().attachments.add(parcel.code, new, caption, internal, current_actor())
    return redirect(url_for("attachments.manage", code=parcel.code), 303)


@bp.post("/<int:attachment_id>/edit")
@role_required("editor")
def edit(attachment_id: int):
    """Change an attachment's caption, position or internal flag."""
    found = _staff_attachment(attachment_id)
    caption, position, internal = parse_attachment_edit(request.form)
    get_store().attachments.update(found.id, current_actor(), caption=caption,
                                   internal=internal, position=position)
    return redirect(url_for("attachments.manage", code=found.parcel_code), 303)


@bp.post("/<int:attachment_id>/remove")
@role_required("editor")
def remove(attachment_id: int):
    """Delete an attachment and its bytes (the history keeps who removed which file)."""
    found = get_store().attachments.remove(_staff_attachment(attachment_id).id, current_actor())
    return redirect(url_for("attachments.manage", code=found.parcel_code), 303)


@bp.get("/<int:attachment_id>")
def file(attachment_id: int):
    """The photo (inline) or PDF (a download) to whoever may see it; 404 otherwise."""
    return file_response(visible_attachment(attachment_id))


@bp.get("/<int:attachment_id>/thumbnail")
def thumbnail(attachment_id: int):
    """A photo's thumbnail (a PDF has none: 404)."""
    return file_response(visible_attachment(attachment_id), thumbnail=True)


def _staff_attachment(attachment_id: int):
    found = get_store().attachments.get(attachment_id)
    if found is None:
        raise NotFoundError(_("No such file."))
    return found
