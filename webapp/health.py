"""Health checks for load balancers and monitors: /healthz (the process answers) and /readyz
(the store answers within READY_TIMEOUT_S and its layout is this release's).

Both answer short plain text, are never cached, set no cookie and count against no rate limit
(they are outside the API blueprint). /readyz reads the store's schema version on one probe
thread per process and waits for it at most READY_TIMEOUT_S: a database that is stopped, or
one that does not answer at all, gives 503 in time and never holds a server thread; while a
probe is still stuck, later requests wait for the same probe instead of starting more.
"""

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from flask import Blueprint, Flask, Response, current_app

from webapp.services import STORE_KEY
from webapp.store.schema_version import CURRENT_SCHEMA_VERSION

logger = logging.getLogger(__name__)

bp = Blueprint("health", __name__)
READY_TIMEOUT_S = 1.5  # load balancers usually allow 2 s
PROBE_KEY = "landgis.readiness"


def plain(text: str, status: int) -> Response:
    """A short text/plain answer no cache keeps."""
    response = Response(text + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


def schema_problem(version: int) -> str | None:
    """Why a store of this layout version cannot serve this release, or None."""
    if version == CURRENT_SCHEMA_VERSION:
        return None
    if version > CURRENT_SCHEMA_VERSION:
        return (f"store layout v{version} is newer than this release "
                f"(v{CURRENT_SCHEMA_VERSION})")
    if version <= 0:
        return "no parcel store, or one without a layout version: run landgis init or migrate"
    return (f"store layout v{version} is older than this release "
            f"(v{CURRENT_SCHEMA_VERSION}): run landgis migrate")


class ReadinessProbe:
    """Reads the store's schema version on its own thread, one read at a time."""

    def __init__(self, store) -> None:
        self.store = store
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="landgis-readyz")
        self._lock = threading.Lock()
        self._running: Future | None = None

    def _future(self) -> Future:
        with self._lock:
            if self._running is None or self._running.done():
                self._running = self._pool.submit(self.store.schema_version)
            return self._running

    def problem(self, timeout_s: float = READY_TIMEOUT_S) -> str | None:
        """Why the store is not ready now (unreachable, slow, wrong layout), or None."""
        try:
            version = self._future().result(timeout=timeout_s)
        except FutureTimeout:
            return f"store did not answer within {timeout_s:g} s"
        except Exception as error:  # noqa: BLE001 - any failure means "not ready", never a 500
            logger.warning("readiness: the store cannot be read: %s", type(error).__name__)
            return f"store unreachable ({type(error).__name__})"
        return schema_problem(version)

    def close(self) -> None:
        """Stop the probe thread (a stuck probe is left to finish on its own)."""
        self._pool.shutdown(wait=False, cancel_futures=True)


@bp.get("/healthz")
def healthz():
    """The process is alive and answers; the store is not touched."""
    return plain("ok", 200)


@bp.get("/readyz")
def readyz():
    """200 when the store answers in time with this release's layout; else 503 and why."""
    problem = current_app.extensions[PROBE_KEY].problem()
    if problem is None:
        return plain("ready", 200)
    response = plain(f"not ready: {problem}", 503)
    response.headers["Retry-After"] = "5"
    return response


def init_app(app: Flask) -> None:
    """Register /healthz and /readyz (after services.init_app: the probe reads its store)."""
    app.extensions[PROBE_KEY] = ReadinessProbe(app.extensions[STORE_KEY])
    app.register_blueprint(bp)
