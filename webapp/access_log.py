"""The access log of `landgis serve` (setting ACCESS_LOG): one line per request on stderr.

A line names the client address, method, path, status, body size and time taken, e.g.
`203.0.113.9 "GET /api/collections/parcels/items?q=%E5%8D%97" 200 5120 12ms`. It never holds a
request body (passwords, CSRF tokens), a cookie or any other header; the query string is kept only
for GET and HEAD requests outside the login pages (`/auth/`). A search (`q=`) may still be text a
visitor typed. Characters that could forge a line (spaces, quotes, control characters,
newlines) are percent-encoded.
"""

import logging
import sys
import time
from urllib.parse import quote

from flask import Flask, Response, request

logger = logging.getLogger("landgis.access")

START_KEY = "landgis.access_log.start"
PATH_SAFE = "/-._~!$&'()*+,;=:@"  # kept as they are in a path; anything else is %-encoded
QUERY_SAFE = PATH_SAFE + "?%"  # the query string arrives encoded already
PRIVATE_PREFIXES = ("/auth/",)  # whose query strings are never logged


def request_line() -> str:
    """Method and path (with the query string where it may be logged), safe for one line."""
    path = quote(request.path, safe=PATH_SAFE)
    query = request.query_string.decode("latin-1")
    if (query and request.method in ("GET", "HEAD")
            and not request.path.startswith(PRIVATE_PREFIXES)):
        path += "?" + quote(query, safe=QUERY_SAFE)
    return f"{quote(request.method, safe='')} {path}"


def access_line(response: Response, duration_s: float | None) -> str:
    """The access log line of the current request and its response."""
    size = response.content_length
    took = f"{duration_s * 1000:.0f}ms" if duration_s is not None else "-"
    address = quote(request.remote_addr or "-", safe=":.[]")
    return (f'{address} "{request_line()}" {response.status_code} '
            f"{size if size is not None else '-'} {took}")


def _start_clock() -> None:
    request.environ[START_KEY] = time.perf_counter()


def _log_request(response: Response) -> Response:
    started = request.environ.get(START_KEY)
    logger.info(access_line(response, None if started is None
                            else time.perf_counter() - started))
    return response


def ensure_handler() -> None:
    """Write the access lines to stderr once, whatever the root logger does."""
    if not any(getattr(h, "landgis_access", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(message)s"))
        handler.landgis_access = True
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def add_access_log(app: Flask) -> Flask:
    """Log one line per request of this app (the clock starts before any other hook)."""
    ensure_handler()
    app.before_request_funcs.setdefault(None, []).insert(0, _start_clock)
    app.after_request(_log_request)
    return app
