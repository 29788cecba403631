"""What an enquiry asks about: published parcels named by code, and the site-selection
requirement (a /select query string) the shortlist came from."""

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from werkzeug.datastructures import MultiDict

from webapp.domain.enquiry_form import MAX_PARCELS, REQUIREMENT_MAX_CHARS
from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import Parcel
from webapp.selection.requirement import parse_requirement
from webapp.store import ParcelStore


@dataclass(frozen=True)
class EnquirySubject:
    """The parcels asked about (published ones only, in the order asked) and the canonical
    site-selection requirement, or None."""

    parcels: tuple[Parcel, ...] = ()
    requirement: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the published parcels asked about."""
        return tuple(parcel.code for parcel in self.parcels)


def published_parcels(store: ParcelStore, codes: tuple[str, ...]) -> tuple[Parcel, ...]:
    """The published parcels among the codes (at most MAX_PARCELS looked up); an unknown code
    and a draft's code are left out alike, so the form never tells one from the other."""
    found = (store.get(code, include_drafts=False) for code in codes[:MAX_PARCELS]
             if "\x00" not in code)  # no code holds one (PostgreSQL text cannot)
    return tuple(parcel for parcel in found if parcel is not None)


def canonical_requirement(text: str | None, store: ParcelStore,
                          table: LandUseTable) -> str | None:
    """The requirement query string as /select writes it, or None when it is missing, too
    long or not a valid requirement (it only gives staff context: a bad one is left out)."""
    if not text or len(text) > REQUIREMENT_MAX_CHARS:
        return None
    args = MultiDict(parse_qsl(text.lstrip("?")))
    layer_names = {layer.name for layer in store.context.layers()}
    try:
        requirement = parse_requirement(args.getlist, table, layer_names)
    except ValueError:  # InvalidParameterError, whatever the parameter
        return None
    return urlencode(requirement.to_query(), safe=":,") or None


def enquiry_subject(store: ParcelStore, table: LandUseTable, codes: tuple[str, ...],
                    requirement: str | None) -> EnquirySubject:
    """The subject of an enquiry from the codes and requirement a link or form carries."""
    return EnquirySubject(published_parcels(store, codes),
                          canonical_requirement(requirement, store, table))
