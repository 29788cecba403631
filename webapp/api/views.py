"""Routes of the API: parse (by @api_operation), call one function, render."""

from flask import Response, current_app

from webapp.api import bp
from webapp.api.context_documents import context_collection
from webapp.api.context_reads import context_layers
from webapp.api.documents import collection, collections, conformance, json_schema, landing_page
from webapp.api.feature_json import page_features
from webapp.api.features import feature_collection, paging_links, single_feature
from webapp.api.links import api_url, self_links
from webapp.api.media import GEOJSON, HTML, JSON, MVT, OPENAPI, SCHEMA_JSON, negotiate_format
from webapp.api.openapi import build_openapi
from webapp.api.operations import api_operation
from webapp.api.params import FILTERS, below_text_search_zoom
from webapp.api.parcels import fetch_items, fetch_tile, find_feature, visible_bounds
from webapp.api.responses import json_response, render
from webapp.api.tilesets import tilejson, tileset, tilesets
from webapp.domain.parcel import parcel_etag

COMMON = ("f", "lang")
ITEMS = (*COMMON, "limit", "offset", "cursor", "bbox", "datetime", *FILTERS)


def title() -> str:
    """The title of the API and its collection."""
    return f"{current_app.config['DISTRICT_NAME']} · parcels"


@bp.get("", strict_slashes=False)
@api_operation(COMMON, {JSON: "LandingPage", HTML: None}, tag="capabilities")
def landing(query: dict):
    """Landing page: links to the API definition, the conformance classes and the data."""
    fmt = negotiate_format(query["f"])
    return render(fmt, landing_page(title(), self_links(fmt, JSON)), JSON)


@bp.get("/conformance", endpoint="conformance")
@api_operation(COMMON, {JSON: "Conformance", HTML: None}, tag="capabilities")
def conformance_classes(query: dict):
    """The OGC conformance classes this API implements."""
    fmt = negotiate_format(query["f"])
    return render(fmt, conformance(self_links(fmt, JSON)), JSON)


@bp.get("/openapi")
@api_operation(COMMON, {OPENAPI: "OpenAPI", HTML: None}, tag="capabilities")
def openapi(query: dict):
    """This OpenAPI 3.0 document, assembled from the routes and the parameter registry."""
    fmt = negotiate_format(query["f"], OPENAPI)
    return render(fmt, build_openapi(current_app), OPENAPI, "api/openapi.html")


@bp.get("/collections", endpoint="collections")
@api_operation(COMMON, {JSON: "Collections", HTML: None}, tag="capabilities")
def collections_list(query: dict):
    """The collections of the API: `parcels`, then each context layer (roads, river...)."""
    fmt = negotiate_format(query["f"])
    others = tuple(context_collection(layer) for layer in context_layers())
    return render(fmt, collections(title(), visible_bounds(), self_links(fmt, JSON), others),
                  JSON)


@bp.get("/collections/parcels", endpoint="collection")
@api_operation(COMMON, {JSON: "Collection", HTML: None}, tag="capabilities")
def collection_info(query: dict):
    """The parcels collection: extent, CRS and links to items, queryables, schema and tiles."""
    fmt = negotiate_format(query["f"])
    return render(fmt, collection(title(), visible_bounds()), JSON)


@bp.get("/collections/parcels/queryables")
@api_operation(COMMON, {SCHEMA_JSON: "JsonSchema", HTML: None})
def queryables(query: dict):
    """The properties that can filter items as query parameters (land_use, street, status)."""
    fmt = negotiate_format(query["f"], SCHEMA_JSON)
    document = json_schema(api_url("api.queryables"), title(), ("land_use", "street", "status"))
    return render(fmt, document, SCHEMA_JSON)


@bp.get("/collections/parcels/schema")
@api_operation(COMMON, {SCHEMA_JSON: "JsonSchema", HTML: None})
def schema(query: dict):
    """JSON Schema of the properties of a parcel feature."""
    fmt = negotiate_format(query["f"], SCHEMA_JSON)
    return render(fmt, json_schema(api_url("api.schema"), title()), SCHEMA_JSON)


@bp.get("/collections/parcels/items")
@api_operation(ITEMS, {GEOJSON: "FeatureCollection", HTML: None})
def items(query: dict):
    """Published parcels, filtered and paged, with area in m² and 亩."""
    fmt = negotiate_format(query["f"], GEOJSON)
    if fmt == "json":  # written from the store's columns and GeoJSON text: feature_json.py
        found = fetch_items(query, as_features=True)
        features = page_features(found.page)
        return json_response(feature_collection(found, self_links(fmt, GEOJSON), features),
                             GEOJSON)
    found = fetch_items(query)
    return render(fmt, feature_collection(found, self_links(fmt, GEOJSON)), GEOJSON,
                  "api/items.html", items=found, paging=paging_links(found, HTML, "html"))


@bp.get("/collections/parcels/items/<feature_id>")
@api_operation((*COMMON, "feature_id"), {GEOJSON: "Feature", HTML: None})
def item(query: dict):
    """One published parcel by id or code; its ETag is the parcel's version."""
    fmt = negotiate_format(query["f"], GEOJSON)
    parcel = find_feature(query["feature_id"])
    response = render(fmt, single_feature(parcel), GEOJSON, "api/item.html", parcel=parcel)
    if fmt == "json":
        response.headers["ETag"] = parcel_etag(parcel)
    return response


@bp.get("/collections/parcels/tiles", endpoint="tilesets")
@api_operation((*COMMON, *FILTERS), {JSON: "TileSets", HTML: None}, tag="tiles")
def tilesets_list(query: dict):
    """The vector tile sets of the parcels (WebMercatorQuad)."""
    fmt = negotiate_format(query["f"])
    return render(fmt, tilesets(title()), JSON)


@bp.get("/collections/parcels/tiles/WebMercatorQuad", endpoint="tileset")
@api_operation((*COMMON, *FILTERS), {JSON: "TileSet", HTML: None}, tag="tiles")
def tileset_metadata(query: dict):
    """Tile set metadata: tile matrix limits, bounding box, layer `parcels` and its attributes."""
    fmt = negotiate_format(query["f"])
    return render(fmt, tileset(title(), visible_bounds()), JSON)


@bp.get("/collections/parcels/tiles/WebMercatorQuad/tilejson.json", endpoint="tilejson")
@api_operation(("lang", *FILTERS), {JSON: "TileJSON"}, tag="tiles")
def tilejson_document(query: dict):
    """TileJSON 3.0.0 of the vector tiles; the filters given here carry into the tile URLs."""
    attribution = current_app.config["DISTRICT_NAME"]
    return render("json", tilejson(title(), visible_bounds(), attribution), JSON)


@bp.get("/collections/parcels/tiles/WebMercatorQuad/<z>/<y>/<x>")
@api_operation(("lang", *FILTERS, "z", "y", "x"), {MVT: None}, tag="tiles")
def tile(query: dict):
    """A Mapbox Vector Tile at tile matrix z, row y, column x (layer `parcels`). Filtered by
    text (q), tiles hold parcels only from zoom TEXT_SEARCH_MIN_ZOOM (default 14; TileJSON gives
    it as minzoom): below it they are empty."""
    if below_text_search_zoom(query):
        return Response(b"", content_type=MVT)
    return Response(fetch_tile(query), content_type=MVT)
