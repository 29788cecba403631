"""Links of API documents: absolute URLs, each with rel and media type."""

from urllib.parse import urlencode

from flask import request, url_for

from webapp.api.media import HTML


def link(href: str, rel: str, media_type: str, title: str | None = None, **extra) -> dict:
    """One link object (OGC API: href, rel, type, optional title)."""
    found = {"href": href, "rel": rel, "type": media_type}
    if title:
        found["title"] = title
    return found | extra


def api_url(endpoint: str, **values) -> str:
    """Absolute URL of an API endpoint (values that are None are left out)."""
    return url_for(endpoint, _external=True, **{k: v for k, v in values.items() if v is not None})


def current_url(**changes: str | int | None) -> str:
    """This request's absolute URL with some query parameters replaced (None removes one)."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k not in changes]
    pairs += [(k, str(v)) for k, v in changes.items() if v is not None]
    query = urlencode(pairs)
    return request.base_url + ("?" + query if query else "")


def self_links(fmt: str, json_type: str) -> list[dict]:
    """`self` in the format served and `alternate` in the other one (JSON or HTML)."""
    as_json = link(current_url(f="json"), "self" if fmt == "json" else "alternate", json_type)
    as_html = link(current_url(f="html"), "self" if fmt == "html" else "alternate", HTML)
    return [as_json, as_html] if fmt == "json" else [as_html, as_json]
