"""Routes of the context layers in the API: each layer an OGC API - Features collection with
items and vector tiles, and the combined context tiles the maps draw under the parcels.

Werkzeug matches a static path segment before a variable one, so /collections/parcels/... keeps
its own routes. JSON and tile answers carry a weak ETag made from the context generation, and a
matching If-None-Match is answered 304 before the store is asked for the tile or the page.
"""

from collections.abc import Callable

from flask import Response, current_app, request

from webapp.api import bp
from webapp.api.context_documents import (
    context_collection,
    context_feature_collection,
    context_tilejson,
    single_context_feature,
    tile_template,
)
from webapp.api.context_reads import (
    context_generation,
    context_layers,
    fetch_context_items,
    fetch_context_tile,
    find_context_feature,
    find_layer,
)
from webapp.api.http import cache_control
from webapp.api.links import self_links
from webapp.api.media import GEOJSON, HTML, JSON, MVT, negotiate_format
from webapp.api.operations import api_operation
from webapp.api.responses import render

COMMON = ("f", "lang")
ITEMS = (*COMMON, "collection_id", "limit", "offset", "bbox", "datetime")
TILE = ("lang", "z", "y", "x")


def cached(fmt: str, answer: Callable[[], Response]) -> Response:
    """answer() with an ETag of the context generation, or 304 when the client has it. HTML
    pages (whose header depends on who is logged in) keep the default content ETag."""
    if fmt == "html":
        return answer()
    etag = f"context-{context_generation()}-{fmt}"
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
        response.headers["Cache-Control"] = cache_control()
        if fmt != "mvt":
            response.vary.add("Accept")  # as the 200 says (webapp.api.http)
    else:
        response = answer()
    response.set_etag(etag, weak=True)
    return response


def tilejson_attribution() -> str:
    """Whom the context data comes from (the district)."""
    return current_app.config["DISTRICT_NAME"]


@bp.get("/collections/<collection_id>", endpoint="context_collection")
@api_operation((*COMMON, "collection_id"), {JSON: "Collection", HTML: None}, tag="capabilities")
def context_collection_info(query: dict):
    """A context layer (roads, the river, interchanges...) as a collection: kind, extent, links."""
    layer = find_layer(query["collection_id"])
    fmt = negotiate_format(query["f"])
    return cached(fmt, lambda: render(fmt, context_collection(layer), JSON, layer=layer))


@bp.get("/collections/<collection_id>/items", endpoint="context_items")
@api_operation(ITEMS, {GEOJSON: "ContextFeatureCollection", HTML: None})
def context_items(query: dict):
    """Features of a context layer with their name and class, paged, optionally in a bbox."""
    layer = find_layer(query["collection_id"])
    fmt = negotiate_format(query["f"], GEOJSON)

    def answer() -> Response:
        found = fetch_context_items(layer, query)
        return render(fmt, context_feature_collection(found, self_links(fmt, GEOJSON)), GEOJSON,
                      "api/context_items.html", layer=layer, items=found,
                      paging=found.paging_links(HTML, "html"))
    return cached(fmt, answer)


@bp.get("/collections/<collection_id>/items/<context_feature_id>", endpoint="context_item")
@api_operation((*COMMON, "collection_id", "context_feature_id"),
               {GEOJSON: "ContextFeature", HTML: None})
def context_item(query: dict):
    """One feature of a context layer by its id."""
    layer = find_layer(query["collection_id"])
    fmt = negotiate_format(query["f"], GEOJSON)
    feature = find_context_feature(layer, query["context_feature_id"])
    return cached(fmt, lambda: render(fmt, single_context_feature(feature), GEOJSON,
                                      "api/context_item.html", layer=layer))


@bp.get("/collections/<collection_id>/tiles/WebMercatorQuad/tilejson.json",
        endpoint="context_layer_tilejson")
@api_operation(("lang", "collection_id"), {JSON: "ContextTileJSON"}, tag="tiles")
def context_layer_tilejson(query: dict):
    """TileJSON 3.0.0 of one context layer's vector tiles (MVT layer `context`)."""
    layer = find_layer(query["collection_id"])
    return cached("json", lambda: render("json", context_tilejson(
        layer.title, [layer], tile_template(layer.name), tilejson_attribution()), JSON))


@bp.get("/collections/<collection_id>/tiles/WebMercatorQuad/<z>/<y>/<x>",
        endpoint="context_layer_tile")
@api_operation(("lang", "collection_id", "z", "y", "x"), {MVT: None}, tag="tiles")
def context_layer_tile(query: dict):
    """A Mapbox Vector Tile of one context layer at tile matrix z, row y, column x (MVT layer
    `context`: id, layer, kind, name, class)."""
    layer = find_layer(query["collection_id"])
    return cached("mvt", lambda: Response(fetch_context_tile(query, (layer.name,)),
                                          content_type=MVT))


@bp.get("/context/tiles/WebMercatorQuad/tilejson.json", endpoint="context_tilejson")
@api_operation(("lang",), {JSON: "ContextTileJSON"}, tag="tiles")
def all_context_tilejson(query: dict):
    """TileJSON 3.0.0 of the context tiles of every layer (what the maps draw)."""
    title = f"{current_app.config['DISTRICT_NAME']} · context"
    return cached("json", lambda: render("json", context_tilejson(
        title, context_layers(), tile_template(), tilejson_attribution()), JSON))


@bp.get("/context/tiles/WebMercatorQuad/<z>/<y>/<x>", endpoint="context_tile")
@api_operation(TILE, {MVT: None}, tag="tiles")
def all_context_tile(query: dict):
    """A Mapbox Vector Tile of every context layer at tile matrix z, row y, column x (MVT layer
    `context`: id, layer, kind, name, class); the maps draw it under the parcels."""
    return cached("mvt", lambda: Response(fetch_context_tile(query), content_type=MVT))
