"""Who may see an attachment, and its bytes as a response with safe headers: the content type
it was checked as, nosniff, inline for images and a download for PDFs, an ETag (its SHA-256),
and no caching by shared caches of what only staff may see."""

import io

from flask import Response, send_file
from flask_babel import gettext as _

from webapp.auth.roles import is_staff
from webapp.domain.errors import NotFoundError
from webapp.domain.parcel import Parcel
from webapp.services import get_store
from webapp.store.attachment_store import Attachment


def is_public(attachment: Attachment) -> bool:
    """Whether anyone may see it: not internal, and its parcel published."""
    if attachment.internal:
        return False
    return get_store().get(attachment.parcel_code, include_drafts=False) is not None


def visible_attachment(attachment_id: int) -> Attachment:
    """The attachment if the visitor may see it; NotFoundError otherwise (also for hidden
    ones: an anonymous visitor cannot tell a hidden file from a missing one)."""
    found = get_store().attachments.get(attachment_id)
    if found is None or not (is_staff() or is_public(found)):
        raise NotFoundError(_("No such file."))
    return found


def gallery_attachments(parcel: Parcel) -> list[Attachment]:
    """A parcel page's photos and documents: staff see every one, visitors the public ones
    of a published parcel."""
    if is_staff():
        return get_store().attachments.attachments(parcel.code)
    if not parcel.published:
        return []
    return get_store().attachments.attachments(parcel.code, include_internal=False)


def file_response(attachment: Attachment, thumbnail: bool = False) -> Response:
    """The file (or the image's thumbnail) with its headers; 304 for a matching ETag."""
    data = get_store().attachments.content(attachment.id, thumbnail=thumbnail)
    if data is None:
        raise NotFoundError(_("No such file."))
    is_pdf = attachment.kind == "pdf"
    response = send_file(io.BytesIO(data), mimetype=attachment.media_type, as_attachment=is_pdf,
                         download_name=attachment.filename, conditional=True,
                         etag=f"{attachment.sha256[:32]}{'-t' if thumbnail else ''}",
                         last_modified=None, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "public, no-cache" if is_public(attachment) \
        else "private, no-store"
    return response
