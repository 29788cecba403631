"""`landgis serve --workers 2` on a store and a free loopback port, for bench_scale.py; run
alone, the API load test of issue 21 (50 viewers asking bbox items pages) against it.

    python scripts/bench_serve.py STORE [--clients 50 --bbox-deg 0.02 --limit 1000]

STORE is a GeoPackage store file or a postgresql:// store URL; /proc/loadavg is printed beside
the figures (this 2-core machine is shared: read them with it).
"""

import argparse
import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import numpy as np

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
def served(store_path: Path | str, workdir: Path):
    """Yields (base URL, server pid) of `landgis serve` on the store (a file, or a store URL
    given as text); stops it afterwards."""
    port = free_port()
    store_url = str(store_path.resolve()) if isinstance(store_path, Path) else store_path
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANDGIS_")}
    env |= {"LANDGIS_INSTANCE_PATH": str(workdir / "instance"),
            "LANDGIS_STORE_URL": store_url, "LANDGIS_AUTO_INIT": "false",
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


def _get_page(url: str) -> tuple[float, bool, int]:
    """(seconds, answered 200 with a document, features returned) of one items request."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            returned = json.loads(response.read())["numberReturned"]
            return time.perf_counter() - start, response.status == 200, returned
    except (OSError, ValueError, KeyError):
        return time.perf_counter() - start, False, 0


def bbox_urls(base_url: str, bounds: list[float], count: int, bbox_deg: float, limit: int,
              seed: int = 7) -> list[str]:
    """Items URLs of `count` square bboxes bbox_deg wide, placed at random inside bounds."""
    rng = np.random.default_rng(seed)
    west, south, east, north = bounds
    urls = []
    for _ in range(count):
        lon = rng.uniform(west, max(west, east - bbox_deg))
        lat = rng.uniform(south, max(south, north - bbox_deg))
        urls.append(f"{base_url}/api/collections/parcels/items?limit={limit}&bbox="
                    f"{lon:.5f},{lat:.5f},{lon + bbox_deg:.5f},{lat + bbox_deg:.5f}")
    return urls


def load_test(base_url: str, clients: int = 50, per_client: int = 10, bbox_deg: float = 0.02,
              limit: int = 1000) -> dict:
    """`clients` concurrent viewers each asking `per_client` bbox items pages: latency p50/p95,
    requests per second, errors, features per page, and the machine load meanwhile."""
    with urllib.request.urlopen(f"{base_url}/api/collections/parcels", timeout=60) as response:
        bounds = json.loads(response.read())["extent"]["spatial"]["bbox"][0]
    urls = bbox_urls(base_url, bounds, clients * per_client, bbox_deg, limit)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        answers = list(pool.map(_get_page, urls, timeout=1800))
    wall = time.perf_counter() - start
    ms = np.array([seconds for seconds, _, _ in answers]) * 1000
    return {"clients": clients, "requests": len(urls), "bbox_deg": bbox_deg, "limit": limit,
            "errors": sum(not ok for _, ok, _ in answers),
            "features_per_page": round(float(np.mean([n for _, _, n in answers])), 1),
            "p50_ms": round(float(np.percentile(ms, 50)), 1),
            "p95_ms": round(float(np.percentile(ms, 95)), 1),
            "requests_per_s": round(len(urls) / wall, 1),
            "loadavg": Path("/proc/loadavg").read_text().split()[:3]}


def main(argv: list[str] | None = None) -> int:
    """Serve the store, load-test it, print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", help="GeoPackage store file or postgresql:// store URL")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=10, help="requests per client")
    parser.add_argument("--bbox-deg", type=float, default=0.02, help="bbox side in degrees")
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--workdir", type=Path, help="instance folder's parent (default: a "
                        "temporary folder)")
    args = parser.parse_args(argv)
    store = args.store if "://" in args.store else Path(args.store)
    with tempfile.TemporaryDirectory() as scratch, \
            served(store, args.workdir or Path(scratch)) as (url, _pid):
        print(json.dumps(load_test(url, args.clients, args.per_client, args.bbox_deg,
                                   args.limit)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
