"""The staff attachment page's parts: the parcel (drafts included), the upload's files checked
(count, size, content), an edit form's values, and the page itself."""

from collections.abc import Mapping

from flask import render_template
from flask.wrappers import Request
from flask_babel import gettext as _

from webapp.admin.pages import staff_context
from webapp.attachments.checking import AttachmentLimits, check_upload
from webapp.attachments.refusal import AttachmentRefusedError
from webapp.domain.errors import InvalidParameterError, NotFoundError
from webapp.domain.messages import N_
from webapp.domain.parcel import Parcel
from webapp.services import get_store

MAX_CAPTION_CHARS = 200
MAX_POSITION = 10_000


def find_parcel_for_staff(code: str) -> Parcel:
    """The parcel of this code, drafts included; NotFoundError."""
    parcel = get_store().get(code, include_drafts=True)
    if parcel is None:
        raise NotFoundError(_("No parcel has the code or number “%(key)s”.", key=code))
    return parcel


def limits_of(config: Mapping) -> AttachmentLimits:
    """The ATTACHMENT_* settings as the checks take them."""
    return AttachmentLimits(config["ATTACHMENT_MAX_MB"] * 1024 * 1024,
                            config["ATTACHMENT_IMAGE_MAX_PX"], config["ATTACHMENT_MAX_PIXELS"])


def parse_caption(raw: str | None) -> str:
    """A caption: one line of at most MAX_CAPTION_CHARS, NUL and control characters removed."""
    text = " ".join("".join(ch for ch in (raw or "") if ch.isprintable() or ch == " ").split())
    return text[:MAX_CAPTION_CHARS]


def parse_new_attachments(request: Request, config: Mapping
                          ) -> tuple[list, str, bool]:
    """The upload's files checked (photos re-encoded), its caption and internal flag;
    AttachmentRefusedError for the first refused file or a wrong number of files."""
    files = [f for f in request.files.getlist("files") if f.filename]
    if not files:
        raise AttachmentRefusedError(N_("Choose at least one photo or PDF to attach."), {})
    if len(files) > config["ATTACHMENT_MAX_FILES"]:
        raise AttachmentRefusedError(N_("At most %(n)s files can be attached at once."),
                                     {"n": config["ATTACHMENT_MAX_FILES"]})
    limits = limits_of(config)
    checked = [check_upload(f.stream.read(limits.max_bytes + 1), f.filename, limits)
               for f in files]
    return checked, parse_caption(request.form.get("caption")), \
        request.form.get("internal") == "yes"


def parse_attachment_edit(form: Mapping[str, str]) -> tuple[str | None, int | None, bool]:
    """Caption, position and internal flag of an edit form; InvalidParameterError."""
    raw_position = (form.get("position") or "").strip()
    position = None
    if raw_position:
        if not raw_position.isascii() or not raw_position.isdigit() \
                or int(raw_position) > MAX_POSITION:
            raise InvalidParameterError(
                "position", N_("The position must be a whole number from 0 to %(max)s."),
                max=MAX_POSITION)
        position = int(raw_position)
    caption = parse_caption(form["caption"]) if "caption" in form else None
    return caption, position, form.get("internal") == "yes"


def render_manage_page(parcel: Parcel, errors: list[str] | None = None) -> str:
    """The staff page of a parcel's attachments, with the upload's refusals if any."""
    store = get_store()
    return render_template("attachments/manage.html", parcel=parcel,
                           attachments=store.attachments.attachments(parcel.code),
                           history=store.attachments.changes(parcel.code),
                           errors=errors or [], **staff_context())
