"""Where to go after logging in: only paths on this site, never another host."""

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str) -> str:
    """`target` when it is a plain path on this site (/admin/..., not //host or http://host)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(c in target for c in "\\\r\n\t") or any(ord(c) < 32 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
