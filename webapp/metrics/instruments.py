"""The metrics landgis records, built on first use (prometheus_client is imported then, after
`landgis serve` has chosen multiprocess mode: the library decides at import).

Label values are bounded: a route is its endpoint name (about a hundred), never the raw path;
a status is its class (2xx ... 5xx).
"""

import os
import threading
from dataclasses import dataclass, field
from typing import Any

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Seconds; cached tiles answer in under a millisecond, large exports and imports take minutes.
REQUEST_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                   10.0, 30.0)
IMPORT_BUCKETS = (0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)


@dataclass
class TileCacheTally:
    """How many of the store's tile-cache hits and misses have been counted already."""

    hits: int = 0
    misses: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Instruments:
    """The app's metric objects and the registry /metrics exposes."""

    registry: Any
    multiprocess: bool
    requests: Any  # Histogram: request duration by endpoint and status class (its _count counts)
    tile_cache: Any  # Counter by result: hit, miss
    import_seconds: Any  # Histogram by mode
    import_rows: Any  # Counter by mode
    login_failures: Any  # Counter by reason: wrong, throttled
    errors: Any  # Counter by kind: store_unavailable, server_error
    tally: TileCacheTally = field(default_factory=TileCacheTally)


def build_instruments() -> Instruments:
    """New metric objects in a registry of their own (several apps in one process stay apart);
    under PROMETHEUS_MULTIPROC_DIR their values go to that folder and /metrics reads all
    processes' files from it."""
    from prometheus_client import CollectorRegistry, Counter, Histogram

    registry = CollectorRegistry(auto_describe=True)
    made = {"registry": registry}
    made["requests"] = Histogram(
        "landgis_http_request_duration_seconds", "Time to answer a request (to the response "
        "headers), by route (endpoint name) and status class; _count counts the requests.",
        ["endpoint", "status"], buckets=REQUEST_BUCKETS, registry=registry)
    made["tile_cache"] = Counter(
        "landgis_tile_cache_requests", "Parcel vector tiles answered from the GeoPackage "
        "store's tile cache (hit) or encoded (miss).", ["result"], registry=registry)
    made["import_seconds"] = Histogram(
        "landgis_import_duration_seconds", "Time to write a confirmed web import, by mode.",
        ["mode"], buckets=IMPORT_BUCKETS, registry=registry)
    made["import_rows"] = Counter(
        "landgis_import_rows", "Parcels written by confirmed web imports, by mode.", ["mode"],
        registry=registry)
    made["login_failures"] = Counter(
        "landgis_login_failures", "Failed staff logins: wrong name or password (or a "
        "disabled account), or refused by throttling.", ["reason"], registry=registry)
    made["errors"] = Counter(
        "landgis_errors", "Requests that failed on the server side: the store out of reach "
        "(503) or an unexpected fault (500).", ["kind"], registry=registry)
    return Instruments(multiprocess=bool(os.environ.get(MULTIPROC_ENV)), **made)


def exposition(instruments: Instruments) -> tuple[bytes, str]:
    """The Prometheus text of every metric (all processes' in multiprocess mode) and its
    media type."""
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

    registry = instruments.registry
    if instruments.multiprocess:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry), CONTENT_TYPE_LATEST
