"""build_shortlist_map: the map of a site selection (no Flask): the shortlisted parcels
highlighted and numbered by rank, the combined outlines of groups of adjacent parcels, and the
context layers (options.context) under them.

The parcels and outlines reach the browser in a JSON data island; static/landgis/select.js draws
them (landgis.addShortlistLayer), so no value is ever part of a script.
"""

from dataclasses import dataclass
from typing import ClassVar

import folium
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from webapp.domain.parcel import Parcel
from webapp.maps.assets import localise_map_assets
from webapp.maps.controls import LANDGIS_JS, IslandElement
from webapp.maps.features import COORDINATE_DECIMALS, parcels_to_feature_collection
from webapp.maps.parcel_map import (
    Basemap,
    MapOptions,
    add_context_layers,
    add_map_chrome,
    base_map,
)

SELECT_JS = ("landgis_select_js", "/static/landgis/select.js")
SELECT_MAP_ID = "shortlist"


@dataclass(frozen=True)
class ShortlistGroup:
    """A group on the map: its rank among the groups, member codes and combined outline."""

    rank: int
    codes: tuple[str, ...]
    outline: BaseGeometry  # lon/lat
    area_m2: float  # the members' area together


class ShortlistLayer(IslandElement):
    """Shortlisted parcels (numbered by rank) and group outlines, drawn by select.js."""

    default_js: ClassVar[list[tuple[str, str]]] = [LANDGIS_JS, SELECT_JS]
    function = "addShortlistLayer"


def _group_features(groups: list[ShortlistGroup]) -> list[dict]:
    return [{"type": "Feature", "id": group.rank,
             "geometry": shapely.geometry.mapping(shapely.transform(
                 group.outline, lambda xy: np.round(xy, COORDINATE_DECIMALS))),
             "properties": {"rank": group.rank, "codes": list(group.codes),
                            "m2": round(group.area_m2, 2)}} for group in groups]


def shortlist_data(ranked: list[tuple[int, Parcel, float]],
                   groups: list[ShortlistGroup]) -> dict:
    """The island's data: parcels as features with rank and score, group outlines."""
    parcels = parcels_to_feature_collection([parcel for _, parcel, _ in ranked])
    by_id = {parcel.id: (rank, score) for rank, parcel, score in ranked}
    for feature in parcels["features"]:
        rank, score = by_id[feature["id"]]
        feature["properties"] |= {"rank": rank, "score": score}
    return {"parcels": parcels,
            "groups": {"type": "FeatureCollection", "features": _group_features(groups)}}


def build_shortlist_map(ranked: list[tuple[int, Parcel, float]], groups: list[ShortlistGroup],
                        basemap: Basemap | None, options: MapOptions) -> folium.Map:
    """A Leaflet map of the shortlist: (rank, parcel with geometry, score) triples and groups.

    Its elements link only vendored and landgis's own scripts and styles (LookupError if not).
    """
    m = base_map(basemap, options.bounds, SELECT_MAP_ID)
    add_context_layers(m, options)  # roads, interchanges... under the shortlist, if given
    bounds = options.bounds
    layer_options = {"colors": options.colors, "texts": options.texts,
                     "bounds": [[bounds[1], bounds[0]], [bounds[3], bounds[2]]] if bounds else None,
                     "parcelUrl": options.parcel_url, **options.extra}
    ShortlistLayer(f"{m.get_name()}-shortlist",
                   {"data": shortlist_data(ranked, groups), "options": layer_options}).add_to(m)
    add_map_chrome(m, options)
    localise_map_assets(m)
    return m
