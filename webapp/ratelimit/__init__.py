"""Per-client-address rate limits of the public API (tiles included), the exports and the
investors' enquiry form.

The `limits` library (the engine of Flask-Limiter) counts requests in fixed windows, in a
storage every server process shares (webapp.ratelimit.storage over a SQLite file in the
instance folder for the GeoPackage store, an UNLOGGED table for PostGIS). Flask-Limiter itself
is not used: resolving its limits cost 0.3-0.6 ms a request, more than a cached tile takes;
this hook costs one counter increment (see README, "Rate limits"). Logged-in staff are exempt
from the API and export limits. Enquiries are counted by the enquiry view itself (count_enquiry)
once a submission passed its checks, so an investor correcting a typo is not locked out; staff
are not exempt there (they never need the public form, and a session must not lift the limit).
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

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.strategies import FixedWindowRateLimiter

from webapp.auth.roles import is_staff
from webapp.domain.errors import RateLimitedError
from webapp.ratelimit.counters import SQLiteCounters
from webapp.ratelimit.storage import LandgisStorage

logger = logging.getLogger(__name__)

LIMITER_KEY = "landgis.ratelimit"
COUNTER_FILE = "ratelimit.sqlite"
# Exports and PDF brochures (a brochure of a filtered set draws up to BROCHURE_MAX_PARCELS
# pages: seconds of CPU) count against RATE_LIMIT_EXPORT.
EXPORT_ENDPOINTS = frozenset({"public.export", "brochures.parcel_brochure",
                              "brochures.set_brochure", "brochures.shortlist_brochure"})
ENQUIRY_SCOPE = "enquiry"
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
    """The limits of the API blueprint and the export views (checked before each request) and
    of enquiries (counted by their view)."""

    limiter: FixedWindowRateLimiter
    api: tuple[RateLimitItem, ...]
    export: tuple[RateLimitItem, ...]
    enquiry: tuple[RateLimitItem, ...] = ()

    def scope(self) -> tuple[str, tuple[RateLimitItem, ...]]:
        """The counted scope of this request and its limits (none for other routes)."""
        if request.blueprint in ("api", "dashboard"):  # the dashboard: new filters cost SQL
            return "api", self.api
        if request.endpoint in EXPORT_ENDPOINTS:
            return "export", self.export
        return "", ()

    def check(self) -> None:
        """Count the request against its scope's limits (staff exempt); see count()."""
        scope, items = self.scope()
        if items and not is_staff():
            self.count(scope, items)

    def count(self, scope: str, items: tuple[RateLimitItem, ...]) -> None:
        """Count one hit of the client address in scope; RateLimitedError past a limit. A busy
        or unreachable counter store lets the request through (logged)."""
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


def count_enquiry() -> None:
    """Count one enquiry of the client address against RATE_LIMIT_ENQUIRY, staff included;
    RateLimitedError past it. Nothing when rate limits are off."""
    limiter = current_app.extensions.get(LIMITER_KEY)
    if limiter is not None and limiter.enquiry:
        limiter.count(ENQUIRY_SCOPE, limiter.enquiry)


def _items(limit: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(limit)) if limit else ()


def init_app(app: Flask) -> None:
    """Limit the API blueprint (RATE_LIMIT_API), the export views (RATE_LIMIT_EXPORT) and the
    enquiry submission (RATE_LIMIT_ENQUIRY)."""
    app.config.setdefault("RATELIMIT_ENABLED", not app.config.get("TESTING"))
    limits = [app.config[name] for name in ("RATE_LIMIT_API", "RATE_LIMIT_EXPORT",
                                            "RATE_LIMIT_ENQUIRY")]
    if not app.config["RATELIMIT_ENABLED"] or not any(limits):
        return
    from webapp.services import STORE_KEY

    storage = LandgisStorage(counters=counters_for(app.extensions[STORE_KEY], app.instance_path))
    limiter = RequestLimiter(FixedWindowRateLimiter(storage), *(_items(limit) for limit in limits))
    app.extensions[LIMITER_KEY] = limiter
    app.before_request(limiter.check)  # the API and exports; enquiries: count_enquiry
