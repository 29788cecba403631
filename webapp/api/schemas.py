"""OpenAPI 3.0 schemas of the API's responses and request bodies (components/schemas)."""

from webapp.api.documents import JSON_TYPES, REQUIRED, property_fields
from webapp.api.selection_schemas import selection_schemas
from webapp.domain.edits import (
    CHOICES,
    EDITABLE_FIELDS,
    LEASE_YEARS,
    PERCENT_FIELDS,
    TEXT_LIMITS,
)
from webapp.domain.landuse import load_landuse_table
from webapp.domain.parcel import ATTRIBUTE_TYPES, REQUIRED_ATTRIBUTES
from webapp.errors import error_codes
from webapp.tiles.mvt import ATTRIBUTES


def ref(name: str) -> dict:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: list[str], properties: dict, **extra) -> dict:
    return {"type": "object", "required": required, "properties": properties, **extra}


def _array(items: dict, **extra) -> dict:
    return {"type": "array", "items": items, **extra}


STRING = {"type": "string"}
NUMBER = {"type": "number"}
INTEGER = {"type": "integer"}
LINKS = _array(ref("Link"))


def _parcel_properties() -> dict:
    properties = {}
    for name, kind, title in property_fields():
        schema = {"type": kind, "description": title}
        if name not in REQUIRED:
            schema["nullable"] = True
        properties[name] = schema
    return _obj(list(REQUIRED), properties)


def _geometry() -> dict:
    return _obj(["type", "coordinates"], {
        "type": {"type": "string", "enum": ["Polygon", "MultiPolygon"]},
        "coordinates": _array({"type": "array"})}, nullable=True)


def _features() -> dict:
    feature = _obj(["type", "id", "geometry", "properties"], {
        "type": {"type": "string", "enum": ["Feature"]}, "id": INTEGER,
        "geometry": ref("Geometry"), "properties": ref("ParcelProperties"), "links": LINKS})
    collection = _obj(["type", "features", "links", "numberMatched", "numberReturned"], {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": _array(ref("Feature")), "links": LINKS,
        "numberMatched": {"type": "integer", "minimum": 0},
        "numberReturned": {"type": "integer", "minimum": 0},
        "totalAreaM2": {"type": "number", "minimum": 0,
                        "description": "Total area of all matching parcels, in m²."}})
    return {"Geometry": _geometry(), "ParcelProperties": _parcel_properties(),
            "Feature": feature, "FeatureCollection": collection}


def _metadata() -> dict:
    bbox = _array(NUMBER, minItems=4, maxItems=6)
    extent = _obj(["spatial"], {"spatial": _obj(["bbox"], {"bbox": _array(bbox, minItems=1),
                                                           "crs": STRING})})
    collection = _obj(["id", "links"], {"id": STRING, "title": STRING, "description": STRING,
                                        "links": LINKS, "extent": extent, "itemType": STRING,
                                        "crs": _array(STRING)})
    return {
        "Link": _obj(["href", "rel"], {"href": STRING, "rel": STRING, "type": STRING,
                                       "title": STRING, "templated": {"type": "boolean"}}),
        "Exception": _obj(["code", "description"], {
            "code": {"type": "string", "enum": error_codes(),
                     "description": "Stable error code (OGC API style)"},
            "description": {"type": "string", "description": "In the request's language"}}),
        "LandingPage": _obj(["links"], {"title": STRING, "description": STRING,
                                        "links": LINKS}),
        "Conformance": _obj(["conformsTo"], {"conformsTo": _array(STRING), "links": LINKS}),
        "Collection": collection,
        "Collections": _obj(["links", "collections"], {"links": LINKS,
                                                       "collections": _array(ref("Collection"))}),
        "JsonSchema": _obj(["type", "properties"], {"type": {"type": "string",
                                                             "enum": ["object"]},
                                                    "title": STRING,
                                                    "properties": {"type": "object"}}),
        "MapboxStyle": _obj(["version", "sources", "layers"], {
            "version": {"type": "integer", "enum": [8]}, "name": STRING,
            "sources": {"type": "object"}, "layers": _array({"type": "object"})}),
        "Styles": _obj(["styles"], {"styles": _array(_obj(["id", "links"], {
            "id": STRING, "title": STRING, "links": LINKS})), "default": STRING,
            "links": LINKS}),
        "OpenAPI": _obj(["openapi", "info", "paths"], {"openapi": STRING,
                                                       "info": {"type": "object"},
                                                       "paths": {"type": "object"}}),
    }


def _tiles() -> dict:
    tileset = _obj(["dataType", "crs", "links"], {
        "title": STRING, "dataType": {"type": "string", "enum": ["vector"]}, "crs": STRING,
        "tileMatrixSetURI": STRING, "links": LINKS,
        "tileMatrixSetLimits": _array(_obj(
            ["tileMatrix", "minTileRow", "maxTileRow", "minTileCol", "maxTileCol"],
            {"tileMatrix": STRING, "minTileRow": INTEGER, "maxTileRow": INTEGER,
             "minTileCol": INTEGER, "maxTileCol": INTEGER})),
        "layers": _array({"type": "object"})})
    layer = _obj(["id", "fields"], {"id": STRING, "fields": _obj(
        list(ATTRIBUTES), {name: STRING for name in ATTRIBUTES})})
    tilejson = _obj(["tilejson", "tiles", "vector_layers"], {
        "tilejson": {"type": "string", "enum": ["3.0.0"]}, "tiles": _array(STRING, minItems=1),
        "vector_layers": _array(layer, minItems=1), "minzoom": INTEGER, "maxzoom": INTEGER,
        "bounds": _array(NUMBER, minItems=4, maxItems=4),
        "center": _array(NUMBER, minItems=3, maxItems=3)})
    return {"TileSet": tileset,
            "TileSets": _obj(["tilesets", "links"], {"tilesets": _array(ref("TileSet")),
                                                     "links": LINKS}),
            "TileJSON": tilejson}


def _editable_schema(name: str) -> dict:
    """What parse_value accepts for one editable property (it also takes numbers as text)."""
    if name == "published":
        return {"type": "boolean"}
    kind = ATTRIBUTE_TYPES[name]
    schema: dict = {"type": JSON_TYPES[kind], "nullable": name not in REQUIRED_ATTRIBUTES}
    if kind is int:
        schema |= {"minimum": LEASE_YEARS[0], "maximum": LEASE_YEARS[1]}
    elif kind is float:
        schema |= {"minimum": 0} | ({"maximum": 100} if name in PERCENT_FIELDS else {})
    elif name == "land_use":
        schema["enum"] = [c.code for c in load_landuse_table().classes()]
    elif name in CHOICES:  # a nullable enum lists null too (OpenAPI 3.0.3)
        schema["enum"] = [*CHOICES[name], *([None] if schema["nullable"] else [])]
    else:
        schema["maxLength"] = TEXT_LIMITS.get(name, 200)
    return schema


def _edits() -> dict:
    changes = {"type": "object", "minProperties": 1, "additionalProperties": False,
               "properties": {name: _editable_schema(name) for name in EDITABLE_FIELDS},
               "description": "The properties to change (JSON merge patch); null clears one."}
    partial_feature = _obj(["properties"], {
        "type": {"type": "string", "enum": ["Feature"]}, "properties": ref("ParcelChanges")},
        description="A partial Feature carrying the properties to change (no geometry).")
    stored = {name: {"type": JSON_TYPES[kind], "nullable": name not in REQUIRED_ATTRIBUTES}
              for name, kind in ATTRIBUTE_TYPES.items()}
    stored |= {"area_m2": NUMBER, "published": {"type": "boolean"}, "version": INTEGER,
               "updated_at": {"type": "string", "nullable": True},
               "land_use_source": {"type": "string", "nullable": True},
               "extra": {"type": "object"}}
    edited = _obj(["type", "id", "geometry", "properties"], {
        "type": {"type": "string", "enum": ["Feature"]}, "id": INTEGER,
        "geometry": ref("Geometry"),
        "properties": _obj([*REQUIRED_ATTRIBUTES, "area_m2", "published", "version"], stored)})
    return {"ParcelChanges": changes, "ParcelPatchFeature": partial_feature,
            "ParcelPatch": {"oneOf": [ref("ParcelChanges"), ref("ParcelPatchFeature")]},
            "EditedFeature": edited}


def _context() -> dict:
    """Context layer features and TileJSON (loose enough that a `parcels` answer fits too)."""
    geometry = _obj(["type"], {"type": {"type": "string", "enum": [
        "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"]},
        "coordinates": {"type": "array"}}, nullable=True)
    feature = _obj(["type", "id", "geometry", "properties"], {
        "type": {"type": "string", "enum": ["Feature"]}, "id": INTEGER, "geometry": geometry,
        "properties": {"type": "object", "description": "name and class (text or null)"},
        "links": LINKS})
    collection = _obj(["type", "features", "links", "numberMatched", "numberReturned"], {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": _array(ref("ContextFeature")), "links": LINKS,
        "numberMatched": {"type": "integer", "minimum": 0},
        "numberReturned": {"type": "integer", "minimum": 0}})
    tilejson = _obj(["tilejson", "tiles", "vector_layers"], {
        "tilejson": {"type": "string", "enum": ["3.0.0"]}, "tiles": _array(STRING, minItems=1),
        "vector_layers": _array(_obj(["id", "fields"], {"id": STRING,
                                                        "fields": {"type": "object"}}),
                                minItems=1),
        "minzoom": INTEGER, "maxzoom": INTEGER,
        "bounds": _array(NUMBER, minItems=4, maxItems=4),
        "center": _array(NUMBER, minItems=3, maxItems=3)})
    return {"ContextFeature": feature, "ContextFeatureCollection": collection,
            "ContextTileJSON": tilejson}


def component_schemas() -> dict:
    """Every schema the operations refer to."""
    return _metadata() | _features() | _tiles() | _edits() | _context() | selection_schemas()
