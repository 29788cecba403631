"""The opaque `cursor` of parcel item pages: where the next page continues (keyset paging).

A cursor holds the code of the last parcel a page returned and how many matches came before the
next page (its position, for the `prev` link); it is URL-safe base64 of JSON, so clients treat it
as opaque and the server reads it back through one validating parser. Following `next` links
costs the same on page 1 and page 50,000 (webapp.store.page_start), and parcels inserted or
deleted between pages neither repeat nor shift the pages (codes are unique).
"""

import base64
import binascii
import json
from dataclasses import dataclass

from webapp.domain.errors import InvalidParameterError
from webapp.domain.messages import N_

MAX_CODE_LENGTH = 200  # longer than any parcel code a store accepts
MAX_CURSOR_LENGTH = 400  # characters of an encoded cursor
BAD_CURSOR = N_("is not a page cursor of this API; follow the `next` link as given, or page "
                "with offset")


@dataclass(frozen=True)
class PageCursor:
    """Continue after the parcel with code after_code; position matches precede the page."""

    after_code: str
    position: int

    def encode(self) -> str:
        """The cursor as a URL-safe token (base64 of JSON, without padding)."""
        text = json.dumps([self.after_code, self.position], ensure_ascii=False,
                          separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(token: str, max_position: int) -> PageCursor:
    """The cursor of a token, or InvalidParameterError (400) naming `cursor`."""
    if not token or len(token) > MAX_CURSOR_LENGTH:
        raise InvalidParameterError("cursor", BAD_CURSOR)
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        value = json.loads(raw.decode())
    except (binascii.Error, ValueError):  # UnicodeDecodeError and JSONDecodeError included
        raise InvalidParameterError("cursor", BAD_CURSOR) from None
    if not (isinstance(value, list) and len(value) == 2 and _is_code(value[0])
            and type(value[1]) is int and 0 <= value[1] <= max_position):
        raise InvalidParameterError("cursor", BAD_CURSOR)
    return PageCursor(value[0], value[1])


def _is_code(value: object) -> bool:
    """Whether a cursor's code is text a store can compare: not empty, not too long, no NUL
    (PostgreSQL text refuses it), no lone surrogate (JSON allows one; UTF-8 does not)."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_CODE_LENGTH or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
