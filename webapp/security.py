"""Security headers on every response: CSP with a per-request script nonce, nosniff, referrer.

Scripts run only from this server's files or from an inline <script> carrying the request's
nonce (templates write it as `{{ csp_nonce() }}`); there is no 'unsafe-inline' for scripts.
Styles keep 'unsafe-inline' because Leaflet positions the map with inline styles.
"""

import secrets
from urllib.parse import urlsplit

from flask import Flask, g, request

from webapp.domain.embed_origins import frame_ancestors, parse_embed_origins
from webapp.maps.islands import island_json

# Endpoints other sites may frame (EMBED_ALLOWED_ORIGINS); every other page may not be framed.
FRAMEABLE_ENDPOINTS = frozenset({"embed.index"})

NONCE_BYTES = 16  # 128 bits, as the CSP spec recommends


def _basemap_origin(url: str) -> str:
    parts = urlsplit(url.replace("{s}", "a"))
    if not parts.scheme or not parts.netloc:
        return ""
    host = parts.netloc
    if "{s}" in url:
        host = host.replace("a.", "*.", 1)
    return f"{parts.scheme}://{host}"


def content_security_policy(basemap_url: str, nonce: str | None = None,
                            ancestors: str = "'none'") -> str:
    """A CSP that allows only this server (plus the basemap's tile origin for images) and, for
    scripts, this server's files and inline scripts carrying nonce; only `ancestors` may frame
    the page."""
    images = " ".join(filter(None, ["'self'", "data:", _basemap_origin(basemap_url)]))
    scripts = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    return (f"default-src 'self'; script-src {scripts}; object-src 'none'; style-src 'self' "
            f"'unsafe-inline'; img-src {images}; connect-src 'self'; "
            f"frame-ancestors {ancestors}; base-uri 'self'; form-action 'self'")


def csp_nonce() -> str:
    """The current request's script nonce (created on first use; a new one every request)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(NONCE_BYTES)
    return g.csp_nonce


def init_app(app: Flask) -> None:
    """Add the headers to every response; give templates csp_nonce() and the island_json filter."""
    basemap_url = app.config["BASEMAP_URL"]
    embed_ancestors = frame_ancestors(parse_embed_origins(app.config["EMBED_ALLOWED_ORIGINS"]))
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.add_template_filter(island_json, "island_json")

    @app.after_request
    def add_security_headers(response):
        frameable = request.endpoint in FRAMEABLE_ENDPOINTS
        policy = content_security_policy(basemap_url, g.get("csp_nonce"),
                                         embed_ancestors if frameable else "'none'")
        response.headers.setdefault("Content-Security-Policy", policy)
        if not frameable:
            response.headers.setdefault("X-Frame-Options", "DENY")  # browsers without CSP 2
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return response
