"""Render an API document as compact UTF-8 JSON (orjson: pre-serialised fragments such as the
store's GeoJSON geometry go in as they are) or as an HTML page."""

import orjson
from flask import Response, render_template

from webapp.api.media import HTML

OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def _plain(value: object) -> object:
    """What json.dumps wrote and orjson does not take as it is (float subclasses)."""
    if isinstance(value, float):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_response(document: dict, media_type: str) -> Response:
    """The document as compact JSON (Chinese text unescaped) with the given media type."""
    body = orjson.dumps(document, default=_plain, option=OPTIONS)
    return Response(body, content_type=media_type)


def render(fmt: str, document: dict, media_type: str, template: str = "api/document.html",
           **context) -> Response:
    """JSON with the media type, or the HTML template given the document and context."""
    if fmt == "html":
        html = render_template(template, doc=document, **context)
        return Response(html, content_type=f"{HTML}; charset=utf-8")
    return json_response(document, media_type)
