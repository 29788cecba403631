"""HTTP behaviour of the read-only API: CORS, cache headers, ETags, conditional GET, compression."""

from flask import Flask, Response, current_app, request
from flask_compress import Compress

from webapp.api.media import GEOJSON, HTML, JSON, MVT, OPENAPI, SCHEMA_JSON
from webapp.api.visibility import can_see_drafts

READ_METHODS = ("GET", "HEAD", "OPTIONS")
COMPRESSED_TYPES = [GEOJSON, JSON, HTML, OPENAPI.split(";")[0], SCHEMA_JSON, MVT]
# The single-item response keeps the parcel's ETag exactly (If-Match compares it when staff
# edit); it is small, so it is never compressed (compression would change its ETag).
UNCOMPRESSED_ENDPOINTS = {"api.item"}
CACHED_TYPES = {GEOJSON, JSON, SCHEMA_JSON, MVT, OPENAPI.split(";")[0]}


def allow_cross_origin(response: Response) -> Response:
    """Any origin may read the API (GET/HEAD, and the preflight OPTIONS); nothing else."""
    if request.path.startswith("/api") and request.method in READ_METHODS:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "ETag, Content-Encoding"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = ", ".join(READ_METHODS)
            response.headers["Access-Control-Allow-Headers"] = (
                "Accept, Accept-Language, If-None-Match")
            response.headers["Access-Control-Max-Age"] = "86400"
    return response


def cache_control() -> str:
    """Cache-Control of successful data responses: shared caches only for anonymous views."""
    max_age = max(0, int(current_app.config["API_CACHE_SECONDS"]))
    if can_see_drafts() or "lang" in request.args:
        return "private, no-cache"
    return f"public, max-age={max_age}"


def _add_validators(response: Response) -> None:
    if response.mimetype in CACHED_TYPES:
        response.headers["Cache-Control"] = cache_control()
        if "ETag" not in response.headers:
            response.add_etag()
    else:
        response.headers["Cache-Control"] = "no-cache"
    if response.mimetype != MVT:
        response.vary.add("Accept")


def finish_response(compress: Compress, response: Response) -> Response:
    """Add cache headers and an ETag, compress where the client accepts it, answer 304s."""
    if (request.blueprint != "api" or request.method not in ("GET", "HEAD")
            or response.status_code != 200):
        return response
    _add_validators(response)
    if request.endpoint not in UNCOMPRESSED_ENDPOINTS:
        response = compress.after_request(response)
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    """Register CORS for every /api response and the caching/compression of API views."""
    app.config.setdefault("COMPRESS_REGISTER", False)
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    compress = Compress()
    compress.init_app(app)
    app.after_request(allow_cross_origin)
    app.after_request(lambda response: finish_response(compress, response))
