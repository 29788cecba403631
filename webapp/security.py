"""Security headers on every response: CSP (self-hosted assets, configured basemap), nosniff."""

from urllib.parse import urlsplit

from flask import Flask


def _basemap_origin(url: str) -> str:
    parts = urlsplit(url.replace("{s}", "a"))
    if not parts.scheme or not parts.netloc:
        return ""
    host = parts.netloc
    if "{s}" in url:
        host = host.replace("a.", "*.", 1)
    return f"{parts.scheme}://{host}"


def content_security_policy(basemap_url: str) -> str:
    """A CSP that allows only this server plus the basemap's tile origin for images."""
    images = " ".join(filter(None, ["'self'", "data:", _basemap_origin(basemap_url)]))
    return ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' "
            f"'unsafe-inline'; img-src {images}; connect-src 'self'; frame-ancestors 'self'; "
            "base-uri 'self'; form-action 'self'")


def init_app(app: Flask) -> None:
    """Add the headers to every response."""
    policy = content_security_policy(app.config["BASEMAP_URL"])

    @app.after_request
    def add_security_headers(response):
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return response
