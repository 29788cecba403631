"""Phone numbers and e-mail addresses inside a free contact text, as tel: and mailto: links
(the text itself is shown unchanged; the page escapes every part)."""

import re
from dataclasses import dataclass

# Chinese numbers as notices print them: landlines with an area code (0555-1234567, (0555)
# 1234567), mobiles (13812345678), 400/800 service numbers, optionally after +86.
_PHONE = (r"(?:\+86[-\s]?)?(?:\(0\d{2,3}\)\s?\d{7,8}|0\d{2,3}[-\s]?\d{7,8}(?:-\d{1,5})?"
          r"|1[3-9]\d{9}|[48]00[-\s]?\d{3}[-\s]?\d{4})")
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
_CONTACT = re.compile(rf"(?P<email>{_EMAIL})|(?<![\d+])(?P<phone>{_PHONE})(?!\d)")
MAX_CONTACT_CHARS = 1000  # longer texts are shown without links


@dataclass(frozen=True)
class ContactPart:
    """A piece of a contact text; href is a tel: or mailto: link, or empty for plain text."""

    text: str
    href: str = ""


def _href(match: re.Match) -> str:
    if match.group("email"):
        return "mailto:" + match.group("email")
    number = match.group("phone")
    main = number.split("-")[:-1] if re.search(r"\d{7,8}-\d{1,5}$", number) else [number]
    digits = re.sub(r"[^\d+]", "", "-".join(main))
    extension = number.rsplit("-", 1)[1] if main != [number] else ""
    return "tel:" + digits + (f";ext={extension}" if extension else "")


def contact_parts(text: str | None) -> list[ContactPart]:
    """The text cut into plain parts and linked phone numbers and e-mail addresses."""
    if not text:
        return []
    if len(text) > MAX_CONTACT_CHARS:
        return [ContactPart(text)]
    parts, start = [], 0
    for match in _CONTACT.finditer(text):
        if match.start() > start:
            parts.append(ContactPart(text[start:match.start()]))
        parts.append(ContactPart(match.group(0), _href(match)))
        start = match.end()
    if start < len(text):
        parts.append(ContactPart(text[start:]))
    return parts
