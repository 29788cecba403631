"""Production serving for `landgis serve`: several gunicorn worker processes, or one waitress.

Each gunicorn worker builds its own app (no state is shared in memory: parcels, tile cache,
sessions' login counters and the audit trail live in the store). gunicorn runs on Unix only;
with WORKERS = 1, or where gunicorn is missing, waitress serves in one process with threads.
"""

import gc
import logging
import os
import sys
from collections.abc import Callable

from flask import Flask, Response

from webapp.access_log import add_access_log
from webapp.metrics.instruments import MULTIPROC_ENV
from webapp.metrics.multiprocess import (
    mark_worker_exit,
    prepare_metrics_folder,
    remove_metrics_folder,
)
from webapp.tiles import projected

logger = logging.getLogger(__name__)

WORKER_HEADER = "X-Landgis-Worker"
GRACEFUL_TIMEOUT_S = 10
WORKER_TIMEOUT_S = 120  # a worker silent this long is restarted (large imports stay in the CLI)


def add_worker_header(app: Flask) -> Flask:
    """Answer every request with the serving process id (WORKER_HEADER setting, for tests)."""

    def stamp(response: Response) -> Response:
        response.headers[WORKER_HEADER] = str(os.getpid())
        return response

    app.after_request(stamp)
    return app


def settle_heap(app: Flask) -> Flask:
    """Before the first request: have the tile writer's compiled loops ready (compiled once,
    then loaded from numba's disk cache), and move everything start-up allocated out of the
    garbage collector's reach (gc.freeze), so collections during requests scan only request
    objects. A dense vector tile allocates thousands of objects; without this, every few tiles
    a full collection over the whole app paused a request for 20-30 ms."""
    projected.warm_up()
    gc.collect()
    gc.freeze()
    return app


def can_fork_workers() -> bool:
    """Whether gunicorn can run here (Unix with gunicorn installed)."""
    if sys.platform.startswith("win"):
        return False
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict:
    """gunicorn settings: N processes of `threads` threads each (gthread), logs to stderr.
    gunicorn's own access log stays off: with ACCESS_LOG each worker's app logs its requests
    (webapp.access_log), which leaves out query strings of login and of POST/PATCH requests
    (gunicorn's format would log every request line whole). A worker that exits is marked
    dead in the metrics folder (webapp.metrics.multiprocess)."""
    return {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
            "worker_class": "gthread", "timeout": WORKER_TIMEOUT_S,
            "graceful_timeout": GRACEFUL_TIMEOUT_S, "accesslog": None, "errorlog": "-",
            "proc_name": "landgis", "preload_app": False, "child_exit": mark_worker_exit}


def serve_with_gunicorn(make_app: Callable[[], Flask], options: dict) -> None:
    """Run gunicorn's master in this process until it is stopped (SIGTERM/SIGINT)."""
    from gunicorn.app.base import BaseApplication

    class LandgisApplication(BaseApplication):
        """gunicorn application that builds one landgis app per worker process."""

        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return settle_heap(make_app())

    LandgisApplication().run()


def with_serving_hooks(app: Flask, config) -> Flask:
    """The app with the hooks the settings ask for: WORKER_HEADER, ACCESS_LOG."""
    if config["WORKER_HEADER"]:
        add_worker_header(app)
    if config["ACCESS_LOG"]:
        add_access_log(app, config["ACCESS_LOG_FORMAT"])
    return app


def serve(app: Flask, make_app: Callable[[], Flask], host: str, port: int) -> None:
    """Serve with WORKERS gunicorn processes, or with waitress when that is 1 or impossible."""
    config = app.config
    workers, threads = config["WORKERS"], config["THREADS"]
    if workers > 1 and can_fork_workers():
        def worker_app() -> Flask:
            return with_serving_hooks(make_app(), config)

        store = app.extensions.get("landgis.store")
        if store is not None:  # each worker opens its own; the master serves no requests
            store.close()
        folder = prepare_metrics_folder()  # the workers add up their metrics there
        try:
            serve_with_gunicorn(worker_app, gunicorn_options(host, port, workers, threads))
        finally:
            remove_metrics_folder(folder)
        return
    os.environ.pop(MULTIPROC_ENV, None)  # one process: its metrics live in memory
    with_serving_hooks(app, config)
    if workers > 1:
        logger.warning("gunicorn is not available here: serving with waitress in one process")
    import waitress

    waitress.serve(settle_heap(app), host=host, port=port, threads=threads, ident="landgis")
