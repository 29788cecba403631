"""PDF documents checked by content: the `%PDF-` header, parsed by pypdf (nothing in it is run
or rendered), at least one page, not encrypted, and no active content: a PDF with JavaScript,
launch actions, embedded or attached files, XFA forms or rich media is refused, not flagged
(investors download these files; staff can print such a PDF to a plain one). Pure: no Flask."""

import io

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from webapp.attachments.refusal import AttachmentRefusedError
from webapp.domain.messages import N_
from webapp.store.attachment_store import NewAttachment

PDF_MAGIC = b"%PDF-"
# Dictionary keys and name values that mark active or embedded content.
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/XFA", "/RichMediaContent"})
ACTIVE_NAMES = frozenset({"/JavaScript", "/Launch", "/EmbeddedFile", "/FileAttachment",
                          "/RichMedia", "/Sound", "/Movie", "/ImportData", "/SubmitForm"})
MAX_OBJECTS = 200_000  # objects walked at most; a larger PDF is refused as too complex


def _active_content(reader: PdfReader) -> str | None:
    """The first key or name of active content reachable from the trailer, or None."""
    seen: set[tuple[int, int]] = set()
    stack: list[object] = [reader.trailer]
    walked = 0
    while stack:
        item = stack.pop()
        walked += 1
        if walked > MAX_OBJECTS:
            return "too many objects"
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key_name, value in item.items():
                if key_name in ACTIVE_KEYS:
                    return str(key_name)
                if key_name in ("/S", "/Type", "/Subtype") and value in ACTIVE_NAMES:
                    return str(value)
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


def check_pdf(data: bytes, name: str) -> NewAttachment:
    """The PDF as uploaded once it passed the checks; AttachmentRefusedError otherwise."""
    if not data.startswith(PDF_MAGIC):
        raise AttachmentRefusedError(N_("“%(name)s” is not a PDF document."), {"name": name})
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise AttachmentRefusedError(
                N_("“%(name)s” is encrypted; attach a PDF without a password."), {"name": name})
        pages = len(reader.pages)
        active = _active_content(reader)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError,
            OSError) as error:
        if isinstance(error, AttachmentRefusedError):
            raise
        raise AttachmentRefusedError(N_("“%(name)s” is not a readable PDF document."),
                                     {"name": name}) from None
    if pages < 1:
        raise AttachmentRefusedError(N_("“%(name)s” has no pages."), {"name": name})
    if active:
        raise AttachmentRefusedError(
            N_("“%(name)s” contains scripts, embedded files or other active content (%(what)s) "
               "and is refused; print it to a plain PDF and attach that."),
            {"name": name, "what": active})
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return NewAttachment(kind="pdf", media_type="application/pdf", filename=f"{stem}.pdf",
                         content=data)
