"""The investor's enquiry form checked and typed for store.pipeline.add_enquiry (no Flask).

Phone numbers are mainland mobiles (1[3-9] and nine digits, +86 optional) or landlines with
their area code (010 and 02x have three digits, the others four; local numbers 7-8 digits, not
starting with 0 or 1) and an optional extension; they are stored normalised (13812345678,
0555-2345678, 0555-2345678-123). Every problem of every field is reported at once in an
InvalidEditError whose messages are marked N_ for the HTTP layer to translate.
"""

import math
import re
import secrets
import unicodedata
from collections.abc import Collection, Mapping, Sequence

from webapp.domain.errors import InvalidEditError
from webapp.domain.messages import N_
from webapp.domain.pipeline import INDUSTRIES
from webapp.domain.stored_text import NUL_MESSAGE, holds_nul

TEXT_LIMITS = {"company": 200, "contact_name": 100, "message": 2000}
PHONE_MAX_CHARS = 40
EMAIL_MAX_CHARS = 254  # RFC 5321's longest forward path
MAX_PARCELS = 20  # parcels one enquiry may ask about (a site-selection shortlist's length)
PARCEL_CODE_MAX_CHARS = 200
REQUIREMENT_MAX_CHARS = 2000
INVESTMENT_MAX_WAN = 100_000_000.0  # 1 trillion yuan: anything above is a typo
JOBS_MAX = 1_000_000
CONSENT_VALUE = "yes"
HONEYPOT_FIELD = "website"  # hidden from people and screen readers; bots fill it in
# The store's reference format (ZS-YYYYMMDD-XXXXXX) and alphabet: A-Z and 2-9 without look-alikes.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 6

_COUNTRY_PREFIX = re.compile(r"^\s*\(?\s*(?:\+|00)\s*86\s*\)?[\s-]*")
_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
_GROUPS = re.compile(r"[\s\-()]+")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_EMAIL_CHAR = r"[^\s@<>()\[\],;:\"\\]"  # no spaces, brackets or separators of address lists
_EMAIL = re.compile(rf"{_EMAIL_CHAR}{{1,64}}@{_EMAIL_CHAR}+\.[^\s@<>()\[\],;:\"\\.]{{2,}}")

NOT_A_PHONE = N_("is not a phone number: use a mobile number such as 138 1234 5678 or a landline "
                 "with its area code such as 0555-2345678")

Problems = dict[str, tuple[str, dict[str, object]]]


class _FieldError(ValueError):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message, self.params = message, params


def _landline(groups: list[str], extension: str | None) -> str | None:
    digits = "".join(groups)
    if not digits.startswith("0") or len(digits) < 3:
        return None
    area_length = 3 if digits[1] in "12" else 4
    area, local = digits[:area_length], digits[area_length:]
    if len(local) not in (7, 8) or local[0] in "01":
        return None
    return f"{area}-{local}" + (f"-{extension}" if extension else "")


def parse_phone(text: str) -> str:
    """A mainland mobile or landline number, normalised; _FieldError (a ValueError) otherwise.
    Spaces, dashes and brackets may separate the digits; a last group of up to six digits after
    a complete landline number, or one marked 转 / ext / x / #, is its extension."""
    if len(text) > PHONE_MAX_CHARS:
        raise _FieldError(N_("is longer than %(limit)s characters"), limit=PHONE_MAX_CHARS)
    value = unicodedata.normalize("NFKC", text).strip()  # full-width digits and plus as typed
    international = bool(_COUNTRY_PREFIX.match(value))
    value = _COUNTRY_PREFIX.sub("", value)
    marked = _EXTENSION.search(value)
    extension = marked.group(1) if marked else None
    groups = [g for g in _GROUPS.split(value[:marked.start()] if marked else value) if g]
    if not groups or not all(g.isascii() and g.isdigit() for g in groups):
        raise _FieldError(NOT_A_PHONE)
    if _MOBILE.fullmatch("".join(groups)) and extension is None:
        return "".join(groups)
    if international and not groups[0].startswith("0"):
        groups[0] = "0" + groups[0]  # +86 555 2345678: the area code without its trunk 0
    if extension is None and len(groups) >= 2 and len(groups[-1]) <= 6:
        with_extension = _landline(groups[:-1], groups[-1])
        if with_extension:
            return with_extension
    normalised = _landline(groups, extension)
    if normalised is None:
        raise _FieldError(NOT_A_PHONE)
    return normalised


def parse_email(text: str) -> str:
    """An e-mail address as typed (trimmed); _FieldError when it cannot be one."""
    value = text.strip()
    if len(value) > EMAIL_MAX_CHARS:
        raise _FieldError(N_("is longer than %(limit)s characters"), limit=EMAIL_MAX_CHARS)
    if not _EMAIL.fullmatch(value):
        raise _FieldError(N_("is not an e-mail address such as name@example.com"))
    return value


def _number(text: str, whole: bool, highest: float) -> float:
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        raise _FieldError(N_("must be a whole number") if whole
                          else N_("must be a number")) from None
    if not math.isfinite(value) or value < 0:
        raise _FieldError(N_("must be 0 or more"))
    if whole and value != int(value):
        raise _FieldError(N_("must be a whole number"))
    if value > highest:
        raise _FieldError(N_("must be at most %(limit)s"), limit=f"{highest:,.0f}")
    return value


def _text(name: str, text: str) -> str | None:
    value = text.strip()
    if len(value) > TEXT_LIMITS[name]:
        raise _FieldError(N_("is longer than %(limit)s characters"), limit=TEXT_LIMITS[name])
    return value or None


def _industry(text: str) -> str | None:
    value = text.strip()
    if value and value not in INDUSTRIES:
        raise _FieldError(N_("is not one of the listed industries"))
    return value or None


def first_parcel_codes(values: Sequence[str]) -> tuple[str, ...]:
    """The first MAX_PARCELS codes of a link or form, trimmed, blanks and repeats left out."""
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))[:MAX_PARCELS]


def parse_parcel_codes(values: Sequence[str]) -> tuple[str, ...]:
    """The parcel codes asked about, trimmed, blanks and repeats left out, in their order;
    _FieldError past MAX_PARCELS or for an overlong code."""
    codes = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
    if len(codes) > MAX_PARCELS:
        raise _FieldError(N_("An enquiry can ask about at most %(limit)s parcels."),
                          limit=MAX_PARCELS)
    if any(len(code) > PARCEL_CODE_MAX_CHARS for code in codes):
        raise _FieldError(N_("A parcel code is too long."))
    return codes


def _field_values(form: Mapping[str, str], problems: Problems) -> dict[str, object]:
    parsers = {"company": lambda t: _text("company", t),
               "contact_name": lambda t: _text("contact_name", t),
               "phone": lambda t: parse_phone(t) if t.strip() else None,
               "email": lambda t: parse_email(t) if t.strip() else None,
               "industry": _industry,
               "investment_wan": lambda t: _number(t, False, INVESTMENT_MAX_WAN)
               if t.strip() else None,
               "jobs": lambda t: int(_number(t, True, JOBS_MAX)) if t.strip() else None,
               "message": lambda t: _text("message", t)}
    values: dict[str, object] = {}
    for name, parse in parsers.items():
        text = form.get(name) or ""
        if holds_nul(text):
            problems[name] = (NUL_MESSAGE, {})
            continue
        try:
            values[name] = parse(text)
        except _FieldError as error:
            problems[name] = (error.message, error.params)
    return values


def _parcel_codes(asked: Sequence[str], offered: Collection[str], problems: Problems
                  ) -> tuple[str, ...]:
    try:
        codes = parse_parcel_codes(asked)
    except _FieldError as error:
        problems["parcel"] = (error.message, error.params)
        return ()
    if any(code not in offered for code in codes):
        problems["parcel"] = (N_("A parcel asked about is not on offer (any more): send the "
                                 "enquiry without it or start again from the map."), {})
    return codes


def parse_enquiry(form: Mapping[str, str], asked_codes: Sequence[str],
                  offered_codes: Collection[str], requirement: str | None, language: str,
                  now: str) -> dict[str, object]:
    """The values of store.pipeline.add_enquiry from the form's fields. asked_codes are the
    form's parcel codes as sent, offered_codes the published ones among them: any other is
    refused with one message, whether it is unknown or a draft. `now` (ISO 8601 UTC) becomes
    consent_at. InvalidEditError names every field with a problem."""
    problems: Problems = {}
    values = _field_values(form, problems)
    codes = _parcel_codes(asked_codes, offered_codes, problems)
    if not values.get("contact_name") and "contact_name" not in problems:
        problems["contact_name"] = (N_("Please tell us whom to contact."), {})
    if not values.get("phone") and not values.get("email") \
            and "phone" not in problems and "email" not in problems:
        problems["phone"] = (N_("Give a phone number or an e-mail address (or both) so that "
                                "we can answer you."), {})
    if (form.get("consent") or "").strip() != CONSENT_VALUE:
        problems["consent"] = (N_("Please agree to the privacy notice to send your "
                                  "enquiry."), {})
    if problems:
        raise InvalidEditError(problems)
    return {"parcel_codes": codes, **values, "language": language,
            "requirement": requirement, "consent_at": now}


def is_spam(form: Mapping[str, str]) -> bool:
    """Whether the hidden honeypot field was filled in (only bots see it)."""
    return bool((form.get(HONEYPOT_FIELD) or "").strip())


def decoy_reference(today: str) -> str:
    """A reference in the store's format (today as YYYY-MM-DD) for an answer to a bot: it
    looks like success, and nothing was stored."""
    suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"ZS-{today.replace('-', '')}-{suffix}"
