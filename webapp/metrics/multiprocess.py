"""The metrics folder of one `landgis serve` under gunicorn: every worker writes its values
there (prometheus_client's multiprocess mode), /metrics adds them up.

The folder is new for each server start (values of an earlier run never mix in), removed when
the server stops, and a worker that exits is marked dead so its live gauges go. It must be set
before a worker first imports prometheus_client (the library picks its mode at import): the
server's master never records metrics, and webapp.metrics imports the library lazily.
"""

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from webapp.metrics.instruments import MULTIPROC_ENV

logger = logging.getLogger(__name__)
FOLDER_PREFIX = "landgis-metrics-"


def prepare_metrics_folder() -> Path:
    """A fresh empty folder for this server's metrics, named in PROMETHEUS_MULTIPROC_DIR (the
    workers inherit it)."""
    if "prometheus_client" in sys.modules:  # the library chose its mode already
        logger.warning("prometheus_client was imported before the metrics folder was set: "
                       "each worker will report its own metrics only")
    folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
    os.environ[MULTIPROC_ENV] = str(folder)
    return folder


def remove_metrics_folder(folder: Path) -> None:
    """Delete the folder of a stopped server (and forget it in this process)."""
    if os.environ.get(MULTIPROC_ENV) == str(folder):
        del os.environ[MULTIPROC_ENV]
    shutil.rmtree(folder, ignore_errors=True)


def mark_worker_exit(server, worker) -> None:
    """gunicorn's child_exit hook: the worker's process is gone, drop its live values."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
