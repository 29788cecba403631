"""Prometheus metrics at /metrics (the prometheus-client library): requests by route and
status class, tile cache hits, web imports, failed logins, server-side errors.

Only the addresses of METRICS_ALLOW may read them (default loopback); everyone else gets 404,
as if there were no such page. An empty METRICS_ALLOW switches metrics off. Under gunicorn
every worker writes its values to the folder `landgis serve` prepares
(webapp.metrics.multiprocess) and /metrics adds them up, whichever worker answers.
"""

import threading
import time

from flask import Blueprint, Flask, Response, abort, current_app, g, request

from webapp.domain.errors import StoreUnavailableError, TooManyAttemptsError
from webapp.metrics.allow import address_allowed, parse_allow_list
from webapp.metrics.instruments import Instruments, build_instruments, exposition

bp = Blueprint("metrics", __name__)
METRICS_KEY = "landgis.metrics"
START_KEY = "landgis.metrics.start"
_build_lock = threading.Lock()


def instruments_of(app: Flask) -> Instruments | None:
    """The app's metric objects (built on first use), or None when metrics are off."""
    state = app.extensions.get(METRICS_KEY)
    if state is None:
        return None
    if state["instruments"] is None:
        with _build_lock:
            if state["instruments"] is None:
                state["instruments"] = build_instruments()
    return state["instruments"]


def _current() -> Instruments | None:
    return instruments_of(current_app)


def count_login_failure(reason: str) -> None:
    """Count a failed staff login (`wrong` password or name, or `throttled`)."""
    instruments = _current()
    if instruments is not None:
        instruments.login_failures.labels(reason).inc()


def observe_import(mode: str, seconds: float, rows: int) -> None:
    """Record a written web import: how long it took and how many parcels it wrote."""
    instruments = _current()
    if instruments is not None:
        instruments.import_seconds.labels(mode).observe(seconds)
        instruments.import_rows.labels(mode).inc(rows)


def _sync_tile_cache(instruments: Instruments, store) -> None:
    """Count the store's tile-cache hits and misses since the last sync (the GeoPackage
    store keeps totals per process; PostGIS has no tile cache)."""
    stats = getattr(getattr(store, "tiles", None), "stats", None)
    tally = instruments.tally
    if not stats or (stats["hits"] == tally.hits and stats["misses"] == tally.misses):
        return
    with tally.lock:
        hits, misses = stats["hits"], stats["misses"]
        if hits > tally.hits:
            instruments.tile_cache.labels("hit").inc(hits - tally.hits)
        if misses > tally.misses:
            instruments.tile_cache.labels("miss").inc(misses - tally.misses)
        tally.hits, tally.misses = hits, misses


def _count_error(instruments: Instruments, error: Exception | None, status: int) -> None:
    """Count what webapp.errors answered: the store out of reach, an unexpected fault, a
    login refused by throttling."""
    if isinstance(error, StoreUnavailableError):
        instruments.errors.labels("store_unavailable").inc()
    elif isinstance(error, TooManyAttemptsError):
        instruments.login_failures.labels("throttled").inc()
    elif status == 500:
        instruments.errors.labels("server_error").inc()


def _start_clock() -> None:
    request.environ[START_KEY] = time.perf_counter()


def _observe(response: Response) -> Response:
    started = request.environ.get(START_KEY)
    instruments = _current()
    if started is None or instruments is None:
        return response
    rule = request.url_rule
    status = response.status_code
    instruments.requests.labels(rule.endpoint if rule else "unmatched",
                                f"{status // 100}xx").observe(time.perf_counter() - started)
    if status >= 500 or status == 429:
        _count_error(instruments, g.get("handled_error"), status)
    _sync_tile_cache(instruments, current_app.extensions.get("landgis.store"))
    return response


@bp.get("/metrics")
def metrics():
    """The metrics in Prometheus text format, for the addresses of METRICS_ALLOW only."""
    if not address_allowed(request.remote_addr, current_app.extensions[METRICS_KEY]["allow"]):
        abort(404)
    body, media_type = exposition(_current())
    response = Response(body, mimetype=None, content_type=media_type)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Time every request and serve /metrics, unless METRICS_ALLOW is empty (metrics off)."""
    allow = parse_allow_list(app.config["METRICS_ALLOW"])
    if not allow:
        return
    app.extensions[METRICS_KEY] = {"allow": allow, "instruments": None}
    app.before_request_funcs.setdefault(None, []).insert(0, _start_clock)
    app.after_request(_observe)
    app.register_blueprint(bp)
