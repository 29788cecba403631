"""`landgis serve --workers 2` on a store file and a free loopback port, for bench_scale.py."""

import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
WORKERS = 2
START_TIMEOUT_S = 120


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_workers(process: subprocess.Popen, count: int) -> None:
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stderr],
                     daemon=True).start()
    booted, seen = 0, []
    while booted < count:
        try:
            line = lines.get(timeout=START_TIMEOUT_S)
        except queue.Empty:
            raise RuntimeError("landgis serve did not start:\n" + "".join(seen)) from None
        seen.append(line)
        booted += "Booting worker" in line


@contextmanager
def served(store_path: Path, workdir: Path):
    """Yields (base URL, server pid) of `landgis serve` on the store; stops it afterwards."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANDGIS_")}
    env |= {"LANDGIS_INSTANCE_PATH": str(workdir / "instance"),
            "LANDGIS_STORE_URL": str(store_path.resolve()), "LANDGIS_AUTO_INIT": "false",
            "LANDGIS_SECRET_KEY": "bench-scale-secret", "LANDGIS_BASEMAP_URL": "",
            # every simulated viewer comes from loopback: per-address limits would cap them
            "LANDGIS_RATE_LIMIT_API": "", "LANDGIS_RATE_LIMIT_EXPORT": ""}
    landgis = shutil.which("landgis", path=str(Path(sys.executable).parent)) or "landgis"
    process = subprocess.Popen([landgis, "serve", "--workers", str(WORKERS), "--port", str(port)],
                               cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_workers(process, WORKERS)
        url = f"http://127.0.0.1:{port}"
        for _ in range(2 * WORKERS):  # both workers import and open the store before timing
            with urllib.request.urlopen(f"{url}/api/collections/parcels/items?limit=1",
                                        timeout=60) as response:
                response.read()
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)
