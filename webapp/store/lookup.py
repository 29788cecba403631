"""Finding one parcel by the key a URL names: its id, else its code."""

from webapp.domain.parcel import Parcel
from webapp.domain.parcel_key import parse_parcel_key
from webapp.store.interface import ParcelStore


def find_by_key(store: ParcelStore, key: str, include_drafts: bool = False) -> Parcel | None:
    """The parcel whose id (ASCII digits, signed 64-bit) or code is `key`; a digits-only code
    (such as a bureau's 330102001) is found when no parcel has that id. None when neither."""
    parsed = parse_parcel_key(key)
    if parsed is None:
        return None
    parcel = store.get(parsed, include_drafts=include_drafts)
    if parcel is None and isinstance(parsed, int):
        parcel = store.get(key, include_drafts=include_drafts)
    return parcel
