"""Per-client-address rate limits of the public API (tiles included) and of the exports.

The `limits` library (the engine of Flask-Limiter) counts requests in fixed windows, in a
storage every server process shares (webapp.ratelimit.storage over a SQLite file in the
instance folder for the GeoPackage store, an UNLOGGED table for PostGIS). Flask-Limiter itself
is not used: resolving its limits cost 0.3-0.6 ms a request, more than a cached tile takes;
this hook costs one counter increment (see README, "Rate limits"). Logged-in staff are exempt.
Over a limit the request raises RateLimitedError, which webapp.errors answers with 429 and
Retry-After, as the API's JSON error or the error page in the user's language. Limits are off
under TESTING unless the test sets RATELIMIT_ENABLED.
"""

import ipaddress
import logging
import math
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, request
from limits import RateLimitItem, parse_many
from limits.strategies import FixedWindowRateLimiter

from webapp.auth.roles import is_staff
from webapp.domain.errors import RateLimitedError
from webapp.ratelimit.counters import SQLiteCounters
from webapp.ratelimit.storage import LandgisStorage

logger = logging.getLogger(__name__)

LIMITER_KEY = "landgis.ratelimit"
COUNTER_FILE = "ratelimit.sqlite"
EXPORT_ENDPOINTS = frozenset({"public.export"})
IPV6_PREFIX = 64  # one client usually holds a whole /64: its addresses share one counter


def client_key() -> str:
    """The rate-limit key of the request: its client address (after ProxyFix), an IPv6
    address reduced to its /64 network."""
    address = request.remote_addr or "unknown"
    if ":" in address:
        try:
            return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))
        except ValueError:
            return address
    return address


def counters_for(store, instance_path: str | Path):
    """Counters every server process of this store shares: its PostGIS schema, or a SQLite
    file in the instance folder (never the GeoPackage itself, whose write lock an import holds)."""
    from webapp.store import GeoPackageStore

    if isinstance(store, GeoPackageStore):
        Path(instance_path).mkdir(parents=True, exist_ok=True)
        return SQLiteCounters(Path(instance_path) / COUNTER_FILE)
    from webapp.ratelimit.postgres_counters import PostgresCounters

    return PostgresCounters(store)  # the table comes with the first increment


@dataclass(frozen=True)
class RequestLimiter:
    """The limits of the API blueprint and of the export views, checked before each request."""

    limiter: FixedWindowRateLimiter
    api: tuple[RateLimitItem, ...]
    export: tuple[RateLimitItem, ...]

    def scope(self) -> tuple[str, tuple[RateLimitItem, ...]]:
        """The counted scope of this request and its limits (none for other routes)."""
        if request.blueprint == "api":
            return "api", self.api
        if request.endpoint in EXPORT_ENDPOINTS:
            return "export", self.export
        return "", ()

    def check(self) -> None:
        """Count the request against its limits; RateLimitedError past one. A busy or
        unreachable counter store lets the request through (logged)."""
        scope, items = self.scope()
        if not items or is_staff():
            return
        key = client_key()
        for item in items:
            try:
                if self.limiter.hit(item, key, scope):
                    continue
                reset_at = self.limiter.get_window_stats(item, key, scope).reset_time
            except self.limiter.storage.base_exceptions as error:
                logger.warning("rate limit not counted: %s", error)
                return
            raise RateLimitedError(max(1, math.ceil(reset_at - time.time())))


def init_app(app: Flask) -> None:
    """Limit the API blueprint (RATE_LIMIT_API) and the export views (RATE_LIMIT_EXPORT)."""
    app.config.setdefault("RATELIMIT_ENABLED", not app.config.get("TESTING"))
    api_limit, export_limit = app.config["RATE_LIMIT_API"], app.config["RATE_LIMIT_EXPORT"]
    if not app.config["RATELIMIT_ENABLED"] or not (api_limit or export_limit):
        return
    from webapp.services import STORE_KEY

    storage = LandgisStorage(counters=counters_for(app.extensions[STORE_KEY], app.instance_path))
    limiter = RequestLimiter(FixedWindowRateLimiter(storage),
                             tuple(parse_many(api_limit)) if api_limit else (),
                             tuple(parse_many(export_limit)) if export_limit else ())
    app.extensions[LIMITER_KEY] = limiter
    app.before_request(limiter.check)
