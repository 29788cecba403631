"""Parcels as GeoJSON features and feature collections (OGC API - Features items)."""

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import mapping

from webapp.api.cursors import PageCursor
from webapp.api.links import api_url, current_url, link
from webapp.api.media import GEOJSON, HTML, JSON
from webapp.domain.parcel import ATTRIBUTE_TYPES, Parcel
from webapp.domain.parcel_key import parcel_url_key
from webapp.store import ParcelPage
from webapp.store.feature_page import FeaturePage

COORDINATE_DECIMALS = 8  # about 1 mm; the store keeps what the import wrote


def parcel_properties(parcel: Parcel) -> dict:
    """Every public attribute of a parcel, with area in m² and 亩 (2 decimals)."""
    properties = {}
    for name, kind in ATTRIBUTE_TYPES.items():
        value = getattr(parcel, name)
        properties[name] = None if value is None else kind(value)
    properties["area_m2"] = round(parcel.area_m2, 2)
    properties["area_mu"] = round(parcel.area_mu, 2)
    properties["updated_at"] = parcel.updated_at
    return properties


def geometries_geojson(parcels: list[Parcel]) -> list[dict | None]:
    """GeoJSON geometries of the parcels, rounded to COORDINATE_DECIMALS in one pass."""
    geometries = np.array([p.geometry for p in parcels], dtype=object)
    rounded = shapely.transform(geometries, lambda xy: np.round(xy, COORDINATE_DECIMALS))
    return [None if g is None else mapping(g) for g in rounded]


def item_links(parcel: Parcel) -> list[dict]:
    """Links of one feature: itself as GeoJSON and HTML, its collection, its public page."""
    url = api_url("api.item", feature_id=parcel.id)
    return [link(url, "self", GEOJSON), link(url + "?f=html", "alternate", HTML),
            link(api_url("api.collection"), "collection", JSON),
            link(api_url("public.parcel", key=parcel_url_key(parcel.code, parcel.id)),
                 "describedby", HTML)]


def parcel_feature(parcel: Parcel, geometry: dict | None, links: list[dict] | None = None
                   ) -> dict:
    """One GeoJSON Feature; its id is the parcel's numeric id."""
    feature = {"type": "Feature", "id": parcel.id, "geometry": geometry,
               "properties": parcel_properties(parcel)}
    if links is not None:
        feature["links"] = links
    return feature


def single_feature(parcel: Parcel) -> dict:
    """The document of /items/{id}: one feature with its links."""
    return parcel_feature(parcel, geometries_geojson([parcel])[0], item_links(parcel))


@dataclass(frozen=True)
class ItemsPage:
    """One page of items: the store's page, its size, how many matches precede it, and whether
    more follow (the store was asked for one parcel more than the page holds)."""

    page: ParcelPage | FeaturePage  # FeaturePage: written by feature_json
    limit: int
    position: int
    has_more: bool

    @property
    def next_cursor(self) -> str | None:
        """The cursor of the next page (after this page's last code), None on the last page."""
        parcels = self.page.parcels
        if not (self.has_more and parcels):
            return None
        return PageCursor(parcels[-1].code, self.position + len(parcels)).encode()

    @property
    def prev_offset(self) -> int | None:
        """The offset of the previous page, None on the first page."""
        return max(0, self.position - self.limit) if self.position > 0 else None


def paging_links(items: ItemsPage, media_type: str, fmt: str) -> list[dict]:
    """`next` (a keyset cursor: its cost does not grow with the page number) and `prev` (an
    offset) links, same filters and limit, where those pages exist."""
    links = []
    if (cursor := items.next_cursor) is not None:
        links.append(link(current_url(offset=None, cursor=cursor, limit=items.limit, f=fmt),
                          "next", media_type))
    if (offset := items.prev_offset) is not None:
        links.append(link(current_url(cursor=None, offset=offset, limit=items.limit, f=fmt),
                          "prev", media_type))
    return links


def feature_collection(items: ItemsPage, links: list[dict],
                       features: list[dict] | None = None) -> dict:
    """The items document: features of the page, counts, and self/alternate/paging links.
    `features` as feature_json.page_features wrote them, or built here from the Parcels."""
    if features is None:
        parcels = items.page.parcels
        features = [parcel_feature(p, g)
                    for p, g in zip(parcels, geometries_geojson(parcels), strict=True)]
    return {"type": "FeatureCollection", "numberMatched": items.page.number_matched,
            "numberReturned": len(features), "features": features,
            "totalAreaM2": round(items.page.total_area_m2, 2),
            "links": links + paging_links(items, GEOJSON, "json")}
