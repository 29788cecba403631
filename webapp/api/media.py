"""Media types the API speaks and the choice between JSON and HTML (f= first, then Accept)."""

from flask import request

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA_JSON = "application/schema+json"
MVT = "application/vnd.mapbox-vector-tile"
MERGE_PATCH = "application/merge-patch+json"
FORMATS = ("json", "html")


def negotiate_format(requested: str | None, json_type: str = JSON) -> str:
    """'json' or 'html': the f parameter when given, else the best Accept match (JSON default)."""
    if requested:
        return requested
    best = request.accept_mimetypes.best_match([json_type.split(";")[0], JSON, HTML],
                                               default=JSON)
    return "html" if best == HTML else "json"
