"""The access log of `landgis serve` (setting ACCESS_LOG): one line per request on stderr.

ACCESS_LOG_FORMAT picks the line: `combined` (Apache/nginx's combined format, which log tools
read: `203.0.113.9 - - [07/Dec/2026:23:23:54 +0000] "GET /api/collections/parcels/items?q=%E5%8D%97
HTTP/1.1" 200 5120 "-" "-"`) or `json` (one object per line: time, pid, client address, method,
path, protocol, status, bytes and duration_ms). A line never holds a request body (passwords,
CSRF tokens), a cookie or any other header: the combined format's referer and user agent are
always "-". The query string is kept only for GET and HEAD requests outside the login pages
(`/auth/`); a search (`q=`) may still be text a visitor typed. Characters that could forge a
line (spaces, quotes, control characters, newlines) are percent-encoded.
"""

import json
import logging
import os
import sys
import time
from datetime import UTC, datetime
from urllib.parse import quote

from flask import Flask, Response, request

logger = logging.getLogger("landgis.access")

START_KEY = "landgis.access_log.start"
PATH_SAFE = "/-._~!$&'()*+,;=:@"  # kept as they are in a path; anything else is %-encoded
QUERY_SAFE = PATH_SAFE + "?%"  # the query string arrives encoded already
PRIVATE_PREFIXES = ("/auth/",)  # whose query strings are never logged
LOG_FORMATS = ("combined", "json")


def request_line() -> str:
    """Method and path (with the query string where it may be logged), safe for one line."""
    path = quote(request.path, safe=PATH_SAFE)
    query = request.query_string.decode("latin-1")
    if (query and request.method in ("GET", "HEAD")
            and not request.path.startswith(PRIVATE_PREFIXES)):
        path += "?" + quote(query, safe=QUERY_SAFE)
    return f"{quote(request.method, safe='')} {path}"


def _protocol() -> str:
    return quote(request.environ.get("SERVER_PROTOCOL") or "HTTP/1.1", safe="/.")


def _address() -> str:
    return quote(request.remote_addr or "-", safe=":.[]")


def combined_line(response: Response, now: datetime) -> str:
    """The request in Apache's combined format (referer and user agent left out as "-")."""
    size = response.content_length
    stamp = now.strftime("%d/%b/%Y:%H:%M:%S %z")
    return (f'{_address()} - - [{stamp}] "{request_line()} {_protocol()}" '
            f'{response.status_code} {size if size is not None else "-"} "-" "-"')


def json_line(response: Response, now: datetime, duration_s: float | None) -> str:
    """The request as one JSON object (ASCII only, so one line whatever it holds)."""
    method, _, path = request_line().partition(" ")
    return json.dumps({
        "time": now.isoformat(timespec="milliseconds"), "pid": os.getpid(),
        "remote_addr": _address(), "method": method, "path": path, "protocol": _protocol(),
        "status": response.status_code, "bytes": response.content_length,
        "duration_ms": None if duration_s is None else round(duration_s * 1000, 2)})


def access_line(response: Response, duration_s: float | None, log_format: str = "combined",
                now: datetime | None = None) -> str:
    """The access log line of the current request and its response, in log_format."""
    now = now or datetime.now(UTC)
    if log_format == "json":
        return json_line(response, now, duration_s)
    return combined_line(response, now)


def _start_clock() -> None:
    request.environ[START_KEY] = time.perf_counter()


def ensure_handler() -> None:
    """Write the access lines to stderr once, whatever the root logger does (each line is
    whole: nothing is put before it, so log tools can read it)."""
    if not any(getattr(h, "landgis_access", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler.landgis_access = True
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def add_access_log(app: Flask, log_format: str = "combined") -> Flask:
    """Log one line per request of this app in log_format (`combined` or `json`); the clock
    starts before any other hook."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"unknown access log format {log_format!r}")

    def log_request(response: Response) -> Response:
        started = request.environ.get(START_KEY)
        logger.info(access_line(response, None if started is None
                                else time.perf_counter() - started, log_format))
        return response

    ensure_handler()
    app.before_request_funcs.setdefault(None, []).insert(0, _start_clock)
    app.after_request(log_request)
    return app
