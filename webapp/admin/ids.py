"""Record numbers in staff URLs: ASCII digits within the signed 64-bit range, else 404."""

from flask_babel import gettext as _

from webapp.domain.errors import NotFoundError
from webapp.domain.parcel_key import parse_parcel_id


def parse_parcel_number(text: str) -> int:
    """The parcel id a staff URL names (not ², ٣, -1 or beyond 2^63), else NotFoundError."""
    number = parse_parcel_id(text)
    if number is None:
        raise NotFoundError(_("No parcel has the number “%(key)s”.", key=text))
    return number


def parse_change_number(text: str) -> int:
    """The audit record id a staff URL names (same rule as parcel ids), else NotFoundError."""
    number = parse_parcel_id(text)
    if number is None:
        raise NotFoundError(_("No change has the number “%(key)s”.", key=text))
    return number
