"""Benchmark the streamed public exports (CSV, GeoJSON, GeoPackage) of realistic districts.

For each size (default 10^5 and 10^6 parcels): a realistic synthetic district
(scripts/realistic_district.py: 8-40 vertices, holes, multipolygons, clustered zones) is
generated and imported into a GeoPackage store in a temporary folder, `landgis serve` starts
with 2 workers, and each format is downloaded once over HTTP. Measured: time to the first body
byte, total time, bytes, and the memory growth of the worker that served it (its peak RSS during
the export, VmHWM reset through /proc/<pid>/clear_refs and VmRSS sampled every 20 ms, minus its
RSS before). Baselines in the same run: `ogr2ogr` copying the same rows from the store file
(time, bytes, its peak RSS), and up to 10^5 parcels the old whole-in-memory export path
(commit 6efcac4, run in a child process: its memory growth and time).

    python scripts/bench_export.py [--counts 100000 1000000] [--formats csv geojson gpkg]

Generated data stays in a temporary folder (never commit it).
"""

import argparse
import http.client
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import bench_timing as timing
from bench_serve import REPO_ROOT, served
from realistic_district import write_realistic_district

COUNTS = (100_000, 1_000_000)
FORMATS = ("csv", "geojson", "gpkg")
TARGETS = {"growth_mb": 150.0, "first_byte_s": 1.0}  # first byte: CSV and GeoJSON
OLD_PATH_MAX = 100_000
OLD_COMMIT = "6efcac4"  # the last commit with the whole-in-memory export
OGR_DRIVERS = {"csv": ("CSV", ["-lco", "WRITE_BOM=YES"]),
               "geojson": ("GeoJSON", ["-lco", "RFC7946=YES"]), "gpkg": ("GPKG", [])}
SAMPLE_S = 0.02
OLD_PATH_CODE = """
import sys, time
sys.path.insert(0, sys.argv[3])
from old_writers import export_parcels
from webapp.domain.filters import ParcelFilter
from webapp.domain.landuse import load_landuse_table
from webapp.store import GeoPackageStore
def kb(field):
    status = open("/proc/self/status").read().splitlines()
    return int(next(line.split()[1] for line in status if line.startswith(field + ":")))
store, table = GeoPackageStore(sys.argv[1]), load_landuse_table()
store.count()
before, start = kb("VmRSS"), time.perf_counter()
data = export_parcels(store.query(ParcelFilter()).parcels, table, "zh", sys.argv[2])
print(time.perf_counter() - start, len(data), kb("VmHWM") - before)
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counts", type=int, nargs="+", default=list(COUNTS),
                        help="district sizes (default 100000 1000000; e.g. --counts 20000 for "
                             "a short run)")
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--seed", type=int, default=20261207, help="random seed")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write every figure here")
    args = parser.parse_args(argv)
    if min(args.counts) < 1:
        parser.error("counts must be at least 1")
    return args


def progress(message: str) -> None:
    """One progress line on stderr with the time."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def with_ticker(label: str, work, every_s: float = 15.0):
    """work() while a progress line tells the elapsed time every every_s seconds."""
    done, start = threading.Event(), time.perf_counter()

    def tick() -> None:
        while not done.wait(every_s):
            progress(f"{label}… {time.perf_counter() - start:.0f} s")

    threading.Thread(target=tick, daemon=True).start()
    try:
        return work()
    finally:
        done.set()


def prepare_store(count: int, seed: int, workdir: Path) -> tuple[Path, dict]:
    """(store path, import figures) of a new realistic district of `count` parcels."""
    source, store_path = workdir / f"district-{count}.gpkg", workdir / f"store-{count}.gpkg"
    progress(f"{count:,} parcels: generating")
    write_realistic_district(count, source, seed, lambda m: progress(f"{count:,}: {m}"))
    figures = with_ticker(f"{count:,}: importing into a GeoPackage store",
                          lambda: timing.import_in_child(source, str(store_path)))
    progress(f"{count:,}: imported in {figures['seconds']} s, peak {figures['peak_rss_mb']} MB")
    source.unlink()
    return store_path, figures


def status_kb(pid: int, field: str) -> int:
    """A /proc/<pid>/status field in kB (0 when the process is gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except FileNotFoundError:
        return 0
    values = [int(line.split()[1]) for line in lines if line.startswith(f"{field}:")]
    return values[0] if values else 0  # an exited process (zombie) has no memory fields


def worker_pids(server_pid: int) -> list[int]:
    """The gunicorn workers (children) of the server."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    return [int(pid) for pid in children]


def reset_peak(pid: int) -> bool:
    """Reset the process's VmHWM to its current RSS (Linux ≥ 4.0; needs the same user)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class PeakSampler:
    """Highest VmRSS of some processes, sampled every SAMPLE_S seconds in a thread."""

    def __init__(self, pids: list[int]) -> None:
        self.peaks = {pid: status_kb(pid, "VmRSS") for pid in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_S):
            for pid in self.peaks:
                self.peaks[pid] = max(self.peaks[pid], status_kb(pid, "VmRSS"))

    def __enter__(self) -> "PeakSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def download(base_url: str, path: str) -> dict:
    """GET path: seconds to the first body byte and in all, bytes, status, serving worker."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=3600)
    start = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    first = response.read(1)
    first_byte_s = time.perf_counter() - start
    size = len(first)
    while block := response.read(1 << 20):
        size += len(block)
    total_s = time.perf_counter() - start
    worker = int(response.getheader("X-Landgis-Worker") or 0)
    connection.close()
    return {"status": response.status, "first_byte_s": round(first_byte_s, 3),
            "total_s": round(total_s, 2), "bytes": size, "worker": worker}


def measure_export(base_url: str, server_pid: int, file_format: str) -> dict:
    """One export over HTTP and the growth of the serving worker's memory (MB)."""
    workers = worker_pids(server_pid)
    before = {pid: status_kb(pid, "VmRSS") for pid in workers}
    reset = all(reset_peak(pid) for pid in workers)
    with PeakSampler(workers) as sampler:
        figures = download(base_url, f"/export/parcels.{file_format}")
    pid = figures.pop("worker") or max(workers, key=lambda p: sampler.peaks[p] - before[p])
    peak = max(sampler.peaks[pid], status_kb(pid, "VmHWM") if reset else 0)
    return figures | {"growth_mb": round((peak - before[pid]) / 1024, 1),
                      "worker_rss_before_mb": round(before[pid] / 1024, 1)}


def ogr2ogr_baseline(store_path: Path, file_format: str, workdir: Path) -> dict:
    """ogr2ogr copying the published rows of the store: seconds, bytes, its peak RSS (MB,
    sampled: a forked child's ru_maxrss would count this process's memory too)."""
    driver, options = OGR_DRIVERS[file_format]
    out = workdir / f"ogr2ogr.{file_format}"
    start = time.perf_counter()
    process = subprocess.Popen(["ogr2ogr", "-f", driver, *options, str(out), str(store_path),
                                "parcels", "-where", "published = 1"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with PeakSampler([process.pid]) as sampler:
        process.wait()
    seconds = time.perf_counter() - start
    size = out.stat().st_size if out.exists() else 0
    out.unlink(missing_ok=True)
    return {"total_s": round(seconds, 2), "bytes": size, "ok": process.returncode == 0,
            "peak_mb": round(sampler.peaks[process.pid] / 1024, 1)}


def old_path_baseline(store_path: Path, file_format: str, workdir: Path) -> dict:
    """The whole-in-memory export of commit OLD_COMMIT in a child: seconds, bytes, growth."""
    old = workdir / "old"
    old.mkdir(exist_ok=True)
    source = subprocess.run(["git", "show", f"{OLD_COMMIT}:webapp/exporting/writers.py"],
                            cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    (old / "old_writers.py").write_text(source, encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", OLD_PATH_CODE, str(store_path), file_format,
                             str(old)], cwd=REPO_ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        return {"error": result.stderr[-500:]}
    seconds, size, growth_kb = result.stdout.split()
    return {"total_s": round(float(seconds), 2), "bytes": int(size),
            "growth_mb": round(int(growth_kb) / 1024, 1)}


def write_server_config(workdir: Path) -> None:
    """Instance settings of the benchmark server: worker header on, no export rate limit."""
    instance = workdir / "instance"
    instance.mkdir(exist_ok=True)
    (instance / "landgis.toml").write_text(
        'worker_header = true\nrate_limit_export = ""\nrate_limit_api = ""\n'
        "export_max_concurrent = 2\n", encoding="utf-8")


def bench_count(count: int, args: argparse.Namespace, workdir: Path) -> dict:
    """Every figure of one district size."""
    store_path, imported = prepare_store(count, args.seed, workdir)
    result: dict = {"parcels": count, "import": imported, "exports": {}, "ogr2ogr": {},
                    "old_path": {}}
    write_server_config(workdir)
    with served(store_path, workdir) as (url, pid):
        for file_format in args.formats:  # both workers load what exporting needs first
            for _ in range(2):
                download(url, f"/export/parcels.{file_format}?q=no-such-parcel")
        for file_format in args.formats:
            result["exports"][file_format] = with_ticker(
                f"{count:,}: {file_format} export over HTTP",
                lambda f=file_format: measure_export(url, pid, f))
            progress(f"{count:,}: {file_format}: {result['exports'][file_format]}")
    for file_format in args.formats:
        result["ogr2ogr"][file_format] = with_ticker(
            f"{count:,}: ogr2ogr {file_format} baseline",
            lambda f=file_format: ogr2ogr_baseline(store_path, f, workdir))
        if count <= OLD_PATH_MAX:
            result["old_path"][file_format] = with_ticker(
                f"{count:,}: old whole-in-memory {file_format} export",
                lambda f=file_format: old_path_baseline(store_path, f, workdir))
    store_path.unlink()
    return result


def print_table(results: list[dict]) -> None:
    """One row per size and format: streamed export against its baselines."""
    head = ("parcels", "format", "1st byte s", "total s", "MB", "growth MB", "ogr2ogr s",
            "ogr MB", "ogr peak", "old s", "old grow")
    print("\nExports over HTTP (landgis serve, 2 workers) against ogr2ogr and the old "
          f"whole-in-memory path; targets: growth < {TARGETS['growth_mb']:.0f} MB, first byte "
          f"< {TARGETS['first_byte_s']} s (CSV, GeoJSON)")
    print(" ".join(f"{h:>10}" for h in head))
    for r in results:
        for fmt, ours in r["exports"].items():
            ogr, old = r["ogr2ogr"].get(fmt, {}), r["old_path"].get(fmt, {})
            row = (r["parcels"], fmt, ours["first_byte_s"], ours["total_s"],
                   round(ours["bytes"] / 2**20, 1), ours["growth_mb"], ogr.get("total_s"),
                   round(ogr.get("bytes", 0) / 2**20, 1), ogr.get("peak_mb"),
                   old.get("total_s"), old.get("growth_mb"))
            print(" ".join(f"{'-' if v is None else v:>10}" for v in row))


def main(argv: list[str] | None = None) -> int:
    """Run every size, print the table, write the JSON."""
    args = parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="landgis-bench-export-") as tmp:
        for count in args.counts:
            results.append(bench_count(count, args, Path(tmp)))
            if args.json:  # written after every size, so a long run keeps what it measured
                args.json.write_text(json.dumps({"targets": TARGETS, "results": results},
                                                ensure_ascii=False, indent=2), encoding="utf-8")
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
