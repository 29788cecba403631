"""Render an API document as compact UTF-8 JSON or as an HTML page."""

import json

from flask import Response, render_template

from webapp.api.media import HTML


def json_response(document: dict, media_type: str) -> Response:
    """The document as compact JSON (Chinese text unescaped) with the given media type."""
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return Response(body, content_type=media_type)


def render(fmt: str, document: dict, media_type: str, template: str = "api/document.html",
           **context) -> Response:
    """JSON with the media type, or the HTML template given the document and context."""
    if fmt == "html":
        html = render_template(template, doc=document, **context)
        return Response(html, content_type=f"{HTML}; charset=utf-8")
    return json_response(document, media_type)
