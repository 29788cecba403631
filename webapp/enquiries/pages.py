"""Assemble the enquiry pages: the form with its messages, the summary the sent page shows
(kept in the session, never in the URL), and the link to the form other pages carry."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import render_template, request, session, url_for
from flask_babel import gettext

from webapp.domain.enquiry_form import (
    CONSENT_VALUE,
    EMAIL_MAX_CHARS,
    HONEYPOT_FIELD,
    MAX_PARCELS,
    PHONE_MAX_CHARS,
    TEXT_LIMITS,
)
from webapp.domain.errors import InvalidEditError
from webapp.domain.parcel import Parcel
from webapp.domain.parcel_key import parcel_url_key
from webapp.domain.pipeline import INDUSTRIES, INDUSTRY_TITLES
from webapp.enquiries import bp
from webapp.enquiries.subject import EnquirySubject
from webapp.selection.requirement import Requirement

SENT_KEY = "enquiry_sent"
SENT_CODES_MAX_CHARS = 400  # parcel codes the sent page lists (the session is a cookie)


@dataclass(frozen=True)
class SentSummary:
    """What the sent page shows: the reference and whom and what it is about."""

    reference: str
    company: str
    contact_name: str
    parcels: tuple[tuple[str, str], ...]  # (code, its key in a parcel page's URL)
    parcel_count: int


def industry_choices() -> list[tuple[str, str]]:
    """The industry select's options in the user's language, "not stated" first."""
    return [("", "—"), *((key, gettext(INDUSTRY_TITLES[key])) for key in INDUSTRIES)]


def field_messages(error: InvalidEditError) -> dict[str, str]:
    """Each bad field's problem in the user's language."""
    return {name: gettext(message, **params) if params else gettext(message)
            for name, (message, params) in error.fields.items()}


def render_form(subject: EnquirySubject, error: InvalidEditError | None = None) -> str:
    """The form about a subject; after a refused POST, with the input and its messages."""
    return render_template(
        "enquiries/form.html", subject=subject,
        values=request.form if request.method == "POST" else {},
        errors=field_messages(error) if error else {}, industries=industry_choices(),
        limits={**TEXT_LIMITS, "phone": PHONE_MAX_CHARS, "email": EMAIL_MAX_CHARS},
        consent_value=CONSENT_VALUE, honeypot=HONEYPOT_FIELD)


def _short(value: object, name: str) -> str:
    return str(value or "")[:TEXT_LIMITS[name]]


def remember_sent(reference: str, values: Mapping[str, object],
                  parcels: tuple[Parcel, ...] = ()) -> None:
    """Keep the reference and a short summary for the sent page in the session: the company,
    the contact person and (up to SENT_CODES_MAX_CHARS of codes) the parcels with their keys."""
    listed: list[tuple[str, str]] = []
    length = 0
    for parcel in parcels:
        length += len(parcel.code)
        if length > SENT_CODES_MAX_CHARS:
            break
        listed.append((parcel.code, parcel_url_key(parcel.code, parcel.id)))
    session[SENT_KEY] = {"reference": reference,
                         "company": _short(values.get("company"), "company"),
                         "contact_name": _short(values.get("contact_name"), "contact_name"),
                         "parcels": listed, "parcel_count": len(parcels)}


def sent_summary(kept: object) -> SentSummary | None:
    """The summary the session keeps, or None when it has none (or not in this shape)."""
    if not isinstance(kept, dict) or not isinstance(kept.get("reference"), str):
        return None
    return SentSummary(kept["reference"], str(kept.get("company") or ""),
                       str(kept.get("contact_name") or ""),
                       tuple((str(code), str(key)) for code, key in kept.get("parcels") or ()),
                       int(kept.get("parcel_count") or 0))


@bp.app_template_global("enquiry_url")
def enquiry_url(codes: Iterable[str], requirement: Requirement | None = None) -> str:
    """The link to the enquiry form about these parcels (the first MAX_PARCELS) and, from a
    site selection, its requirement."""
    query = urlencode(requirement.to_query(), safe=":,") if requirement else ""
    return url_for("enquiries.form", parcel=list(codes)[:MAX_PARCELS],
                   requirement=query or None)
