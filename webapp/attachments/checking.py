"""An uploaded file checked into a NewAttachment or refused with a clear reason: its name
cleaned, its size limited, its kind told by its content (the name's extension must agree:
a PDF named .jpg or a web page named .pdf is refused), then the image or PDF checks."""

import re
import unicodedata
from dataclasses import dataclass

from webapp.attachments.images import check_image
from webapp.attachments.pdfs import PDF_MAGIC, check_pdf
from webapp.attachments.refusal import AttachmentRefusedError
from webapp.domain.messages import N_
from webapp.store.attachment_store import NewAttachment

IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "webp"})
MAX_NAME_CHARS = 120
UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\"<>|*?:;]")


# (kind the name says, kind the content is) -> why the file is refused
REFUSED_KINDS = {
    ("image", "pdf"): N_("“%(name)s” is named like a photo but is a PDF document; name it .pdf."),
    ("pdf", "image"): N_("“%(name)s” is named like a PDF but is a photo; name it after its image "
                         "type."),
    ("image", None): N_("“%(name)s” is named like a photo but is no JPEG, PNG or WebP image "
                        "(another file renamed?)."),
    ("pdf", None): N_("“%(name)s” is named like a PDF but is not a PDF document (a web page or "
                      "another file renamed?)."),
}


@dataclass(frozen=True)
class AttachmentLimits:
    """How large a file may be and how large a photo is kept (settings ATTACHMENT_*)."""

    max_bytes: int
    max_side_px: int
    max_pixels: int


def clean_filename(raw: str | None) -> str:
    """The file's own name without folders or control characters, at most MAX_NAME_CHARS
    (shown to people and offered as the download name, never used as a path)."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", name)).strip(" .") or "file"
    if len(name) > MAX_NAME_CHARS:
        stem, _dot, extension = name.rpartition(".")
        name = f"{stem[:MAX_NAME_CHARS - 10]}.{extension[:8]}" if stem else name[:MAX_NAME_CHARS]
    return name


def content_kind(data: bytes) -> str | None:
    """image or pdf as the first bytes tell, None for anything else."""
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or (
            data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    return None


def check_upload(data: bytes, raw_name: str | None, limits: AttachmentLimits) -> NewAttachment:
    """One uploaded file checked and, for a photo, re-encoded; AttachmentRefusedError."""
    name = clean_filename(raw_name)
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    named = "pdf" if extension == "pdf" else "image" if extension in IMAGE_EXTENSIONS else None
    if named is None:
        raise AttachmentRefusedError(
            N_("“%(name)s”: only JPEG, PNG and WebP photos and PDF documents can be attached."),
            {"name": name})
    if not data:
        raise AttachmentRefusedError(N_("“%(name)s” is empty."), {"name": name})
    if len(data) > limits.max_bytes:
        raise AttachmentRefusedError(
            N_("“%(name)s” is larger than %(mb)s MB."),
            {"name": name, "mb": limits.max_bytes // (1024 * 1024)}, 413)
    found = content_kind(data)
    if found != named:
        message = REFUSED_KINDS[(named, found)]
        raise AttachmentRefusedError(message, {"name": name})
    if found == "pdf":
        return check_pdf(data, name)
    return check_image(data, name, limits.max_side_px, limits.max_pixels)
