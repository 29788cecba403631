"""What the API reads from the parcel store, always through can_see_drafts()."""

from dataclasses import replace
from typing import Any

from flask_babel import gettext

from webapp.api.features import ItemsPage
from webapp.api.params import tile_address
from webapp.api.visibility import can_see_drafts
from webapp.domain.errors import InvalidParameterError, NotFoundError
from webapp.domain.filters import ParcelFilter
from webapp.domain.messages import N_
from webapp.domain.parcel import Parcel
from webapp.services import get_store
from webapp.store.interface import Bounds
from webapp.store.lookup import find_by_key


def parcel_filter_from(query: dict[str, Any]) -> ParcelFilter:
    """The ParcelFilter of parsed filter parameters (area range checked: min ≤ max)."""
    area_min, area_max = query.get("area_min_mu"), query.get("area_max_mu")
    if area_min is not None and area_max is not None and area_min > area_max:
        raise InvalidParameterError("area_min_mu", N_("minimum area is larger than maximum area"))
    return ParcelFilter(land_uses=query.get("land_use") or (), streets=query.get("street") or (),
                        statuses=query.get("status") or (), area_min_mu=area_min,
                        area_max_mu=area_max, text=query.get("q"), bbox=query.get("bbox"),
                        include_drafts=can_see_drafts())


def visible_bounds() -> Bounds | None:
    """Bounds (CRS84) of every parcel this client may see."""
    return get_store().bounds(ParcelFilter(include_drafts=can_see_drafts()))


def fetch_items(query: dict[str, Any], as_features: bool = False) -> ItemsPage:
    """One page of matching parcels with geometry, ordered by code: from the `cursor` of a
    `next` link (keyset) or from `offset` (not both). as_features: the store's FeaturePage
    (columns and GeoJSON text) instead of Parcels."""
    cursor, limit, offset = query["cursor"], query["limit"], query["offset"]
    if cursor is not None and offset:
        raise InvalidParameterError("offset", N_("give offset or cursor, not both"))
    store, after_code = get_store(), None if cursor is None else cursor.after_code
    if as_features:  # FeatureRows for feature_json: no Parcel built per parcel
        page = store.feature_page(parcel_filter_from(query), limit + 1, offset,
                                  after_code=after_code)
    else:
        page = store.query(parcel_filter_from(query), limit=limit + 1, offset=offset,
                           with_geometry=True, after_code=after_code)
    has_more = len(page.parcels) > limit
    if has_more:
        page = replace(page, parcels=page.parcels[:limit])
    position = offset if cursor is None else cursor.position
    return ItemsPage(page, limit, position, has_more)


def find_feature(feature_id: str) -> Parcel:
    """A parcel by numeric id or by code, or NotFoundError."""
    parcel = find_by_key(get_store(), feature_id, include_drafts=can_see_drafts())
    if parcel is None:
        raise NotFoundError(gettext("No published parcel has the code or number “%(key)s”.",
                                    key=feature_id))
    return parcel


def fetch_tile(query: dict[str, Any]) -> bytes:
    """The Mapbox Vector Tile at z/row/column of the matching parcels."""
    tile = tile_address(query["z"], query["y"], query["x"])
    return get_store().tile(tile.z, tile.x, tile.y, parcel_filter_from(query))
