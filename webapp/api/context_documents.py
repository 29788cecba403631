"""The API documents of context layers (roads, the river, interchanges...): each layer is an
OGC API - Features collection with items and vector tiles; TileJSON of one layer or of all."""

from dataclasses import dataclass

from flask import url_for

from webapp.api.documents import CRS84, spatial_extent
from webapp.api.features import geometries_geojson
from webapp.api.links import api_url, current_url, link
from webapp.api.media import GEOJSON, HTML, JSON, MVT
from webapp.api.tilesets import CENTER_ZOOM, MAX_ZOOM, MIN_ZOOM, WORLD
from webapp.domain.context import CONTEXT_KINDS, ContextFeature, ContextLayer
from webapp.store.context_store import CONTEXT_TILE_ATTRIBUTES, CONTEXT_TILE_LAYER, ContextPage

TILE_PATH = "/{z}/{y}/{x}"  # z, then row, then column (OGC API - Tiles order)
Bounds = tuple[float, float, float, float]


def tile_template(collection_id: str | None = None, external: bool = True) -> str:
    """The tile URL template of one layer, or of every layer (the map's) when None."""
    endpoint, values = (("api.context_tilejson", {}) if collection_id is None else
                        ("api.context_layer_tilejson", {"collection_id": collection_id}))
    base = url_for(endpoint, _external=external, **values)
    return base.rsplit("/", 1)[0] + TILE_PATH


def context_collection(layer: ContextLayer) -> dict:
    """A context layer as a collection: kind, extent, feature count and links."""
    kind = CONTEXT_KINDS[layer.kind]
    url = api_url("api.context_collection", collection_id=layer.name)
    items = api_url("api.context_items", collection_id=layer.name)
    return {
        "id": layer.name, "title": layer.title, "itemType": "feature", "crs": [CRS84],
        "description": f"Context layer: {kind.label_en} ({kind.label_zh}), {kind.family}s, "
                       f"{layer.feature_count} features with name and class.",
        "kind": layer.kind, "geometryFamily": kind.family, "featureCount": layer.feature_count,
        "extent": spatial_extent(layer.bounds),
        "links": [
            link(url, "self", JSON), link(url + "?f=html", "alternate", HTML),
            link(items, "items", GEOJSON, layer.title),
            link(items + "?f=html", "items", HTML, layer.title),
            link(tile_template(layer.name), "item", MVT, "Mapbox vector tile", templated=True),
            link(api_url("api.context_layer_tilejson", collection_id=layer.name),
                 "describedby", JSON, "TileJSON"),
        ],
    }


def context_feature(feature: ContextFeature, geometry: dict | None,
                    links: list[dict] | None = None) -> dict:
    """One context feature as GeoJSON: its name and class (either may be null)."""
    found = {"type": "Feature", "id": feature.id, "geometry": geometry,
             "properties": {"name": feature.name, "class": feature.feature_class}}
    if links is not None:
        found["links"] = links
    return found


def single_context_feature(feature: ContextFeature) -> dict:
    """The document of /collections/{layer}/items/{id}: the feature with its links."""
    url = api_url("api.context_item", collection_id=feature.layer,
                  context_feature_id=feature.id)
    links = [link(url, "self", GEOJSON), link(url + "?f=html", "alternate", HTML),
             link(api_url("api.context_collection", collection_id=feature.layer), "collection",
                  JSON)]
    return context_feature(feature, geometries_geojson([feature])[0], links)


@dataclass(frozen=True)
class ContextItems:
    """One page of a layer's features and how it was asked for."""

    layer: ContextLayer
    page: ContextPage
    limit: int
    offset: int

    def paging_links(self, media_type: str, fmt: str) -> list[dict]:
        """`next` and `prev` links (same bbox and limit) where those pages exist."""
        following = self.offset + len(self.page.features)
        pages = (("next", following if self.page.features and following
                  < self.page.number_matched else None),
                 ("prev", max(0, self.offset - self.limit) if self.offset > 0 else None))
        return [link(current_url(offset=offset, limit=self.limit, f=fmt), rel, media_type)
                for rel, offset in pages if offset is not None]


def context_feature_collection(items: ContextItems, links: list[dict]) -> dict:
    """The items document: the page's features, counts and self/alternate/paging links."""
    features = items.page.features
    geometries = geometries_geojson(features)
    return {"type": "FeatureCollection", "numberMatched": items.page.number_matched,
            "numberReturned": len(features),
            "features": [context_feature(f, g) for f, g in zip(features, geometries,
                                                                strict=True)],
            "links": links + items.paging_links(GEOJSON, "json")}


def union_bounds(layers: list[ContextLayer]) -> Bounds | None:
    """The lon/lat box around every layer with features, None when none has any."""
    boxes = [layer.bounds for layer in layers if layer.bounds]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes))


def context_tilejson(title: str, layers: list[ContextLayer], tiles: str,
                     attribution: str) -> dict:
    """TileJSON 3.0.0 of context tiles (layer CONTEXT_TILE_LAYER) holding these layers."""
    west, south, east, north = union_bounds(layers) or WORLD
    names = ", ".join(f"{layer.name} ({layer.kind})" for layer in layers) or "none yet"
    return {
        "tilejson": "3.0.0", "name": title, "scheme": "xyz", "version": "1.0.0",
        "description": f"Context features (layer `{CONTEXT_TILE_LAYER}`) of the context "
                       f"layers {names}: id, layer, kind, name, class.",
        "attribution": attribution, "tiles": [tiles], "minzoom": MIN_ZOOM, "maxzoom": MAX_ZOOM,
        "bounds": [west, south, east, north],
        "center": [(west + east) / 2, (south + north) / 2, CENTER_ZOOM],
        "vector_layers": [{"id": CONTEXT_TILE_LAYER, "description": "Context features",
                           "fields": CONTEXT_TILE_ATTRIBUTES, "minzoom": MIN_ZOOM,
                           "maxzoom": MAX_ZOOM}],
    }
