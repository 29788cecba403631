"""The metadata documents of the API: landing page, conformance, collections, property schemas."""

from webapp.api.links import api_url, link
from webapp.api.media import GEOJSON, HTML, JSON, OPENAPI, SCHEMA_JSON
from webapp.domain.landuse import load_landuse_table
from webapp.domain.parcel import ATTRIBUTE_TYPES, STATUSES
from webapp.store.interface import Bounds

COLLECTION_ID = "parcels"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
OGC_REL = "http://www.opengis.net/def/rel/ogc/1.0/"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
]
JSON_TYPES = {str: "string", int: "integer", float: "number"}
COMPUTED = {"area_m2": ("number", "Area in m² (computed in an equal-area projection)"),
            "area_mu": ("number", "Area in 亩 (mu; 1 亩 = 666.67 m²)"),
            "updated_at": ("string", "Last change (ISO 8601)")}
REQUIRED = ("code", "land_use", "status", "area_m2", "area_mu")
QUERYABLES = ("land_use", "street", "status")


def landing_page(title: str, links: list[dict]) -> dict:
    """The API's landing page with links to its description, conformance and data."""
    return {"title": title, "description": "OGC API - Features and vector tiles of the "
            "published land parcels (宗地) of the district and of its context layers (roads, "
            "the river, interchanges...).", "links": [*links,
                link(api_url("api.openapi"), "service-desc", OPENAPI, "API definition"),
                link(api_url("api.openapi", f="html"), "service-doc", HTML, "API documentation"),
                link(api_url("api.conformance"), "conformance", JSON, "Conformance classes"),
                link(api_url("api.collections"), "data", JSON, "Collections")]}


def conformance(links: list[dict]) -> dict:
    """The conformance declaration."""
    return {"conformsTo": CONFORMANCE, "links": links}


def spatial_extent(bounds: Bounds | None) -> dict:
    """The collection extent in CRS84 (the whole world while the store is empty)."""
    box = list(bounds) if bounds else [-180.0, -90.0, 180.0, 90.0]
    return {"spatial": {"bbox": [box], "crs": CRS84}}


def collection(title: str, bounds: Bounds | None) -> dict:
    """The parcels collection: extent, CRS and links to items, schemas and tiles."""
    items = api_url("api.items")
    return {
        "id": COLLECTION_ID, "title": title, "itemType": "feature", "crs": [CRS84],
        "description": "Land parcels offered by the district, with land use, area (m², 亩), "
                       "street, status and planning conditions.",
        "extent": spatial_extent(bounds),
        "links": [
            link(api_url("api.collection"), "self", JSON),
            link(api_url("api.collection", f="html"), "alternate", HTML),
            link(items, "items", GEOJSON, "Parcels"),
            link(items + "?f=html", "items", HTML, "Parcels"),
            link(api_url("api.queryables"), OGC_REL + "queryables", SCHEMA_JSON, "Queryables"),
            link(api_url("api.schema"), OGC_REL + "schema", SCHEMA_JSON, "Feature schema"),
            link(api_url("api.schema"), "describedby", SCHEMA_JSON, "Feature schema"),
            link(api_url("api.tilesets"), OGC_REL + "tilesets-vector", JSON, "Vector tiles"),
            *styles_links(),
        ],
    }


def styles_links() -> list[dict]:
    """The collection's styles (OGC API - Styles) and each stylesheet of its default style."""
    from webapp.api.styles import STYLES_REL, style_links  # styles reads context documents

    return [link(api_url("api.collection_styles"), STYLES_REL, JSON, "Styles"), *style_links()]


def collections(title: str, bounds: Bounds | None, links: list[dict],
                others: tuple[dict, ...] = ()) -> dict:
    """The list of collections: `parcels`, then the others (the context layers)."""
    return {"collections": [collection(title, bounds), *others], "links": links}


def property_fields() -> list[tuple[str, str, str]]:
    """(name, JSON type, title) of every feature property."""
    fields = [(name, JSON_TYPES[kind], name.replace("_", " ")) for name, kind in
              ATTRIBUTE_TYPES.items()]
    return fields + [(name, kind, title) for name, (kind, title) in COMPUTED.items()]


def _property_schema(name: str, kind: str, title: str) -> dict:
    schema = {"title": title, "type": kind if name in REQUIRED else [kind, "null"]}
    if name == "status":
        schema["enum"] = list(STATUSES)
    if name == "land_use":
        schema["enum"] = [c.code for c in load_landuse_table().classes()]
    return schema


def json_schema(schema_id: str, title: str, names: tuple[str, ...] | None = None) -> dict:
    """A JSON Schema (2020-12) of the feature properties, or of the queryable ones."""
    properties = {name: _property_schema(name, kind, title)
                  for name, kind, title in property_fields() if names is None or name in names}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_id,
            "type": "object", "title": title, "properties": properties,
            "additionalProperties": names is None}
