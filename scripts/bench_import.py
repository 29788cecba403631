"""Benchmark `landgis import` on realistic parcels (issue 19 §6): time and peak memory.

For each size a SYNTHETIC realistic district (scripts/realistic_district.py: most parcels with
8-40 vertices, some holes and multipolygons) is written as a GeoPackage and a GeoJSON file in a
temporary folder; each file is imported into a new GeoPackage store and, given --postgis-url,
into a new PostGIS schema (dropped afterwards): a first import, then the same file again as a
replace-all over the district (as when the bureau sends its monthly file). Every import runs in
a child process (bench_timing.import_in_child): wall time and the child's own peak RSS. The
machine load (/proc/loadavg) is printed beside each figure: on a shared machine it matters.

    python scripts/bench_import.py [--sizes 100000 1000000] [--formats gpkg geojson]
                                   [--postgis-url URL] [--json figures.json]
"""

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import bench_timing as timing
import pyogrio
from realistic_district import realistic_frame

TARGET_SIZE = 1_000_000
TARGET_SECONDS, TARGET_PEAK_MB = 60.0, 2048.0  # issue 19 §6, at TARGET_SIZE parcels
FORMATS = ("gpkg", "geojson")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000],
                        help="district sizes (default 100000; the targets are for 1000000)")
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS),
                        help="input files to import (default: gpkg geojson)")
    parser.add_argument("--postgis-url", default=os.environ.get("LANDGIS_TEST_POSTGIS_URL"),
                        help="PostGIS database for the second store (default: "
                             "$LANDGIS_TEST_POSTGIS_URL; none measures the GeoPackage store "
                             "only)")
    parser.add_argument("--seed", type=int, default=20261207, help="random seed")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write every figure here")
    return parser.parse_args(argv)


def progress(message: str) -> None:
    """One progress line on stderr with the time."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_average() -> str:
    """The 1-minute load average (other processes on the machine slow every figure)."""
    return Path("/proc/loadavg").read_text().split()[0]


def write_inputs(count: int, formats: list[str], seed: int, folder: Path) -> dict[str, Path]:
    """The realistic district of `count` parcels written once per input format."""
    frame = realistic_frame(count, seed, progress)
    paths = {}
    for file_format in formats:
        path = folder / f"district-{count}.{file_format}"
        progress(f"writing {path.name}")
        options = {"layer": "parcels", "promote_to_multi": True}
        if file_format == "gpkg":
            options["geometry_type"] = "MultiPolygon"
        pyogrio.write_dataframe(frame, path, **options)
        paths[file_format] = path
    return paths


@contextmanager
def postgis_schema(url: str, name: str) -> Iterator[str]:
    """A store URL of a new PostGIS schema, dropped afterwards."""
    import psycopg

    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}schema={name}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def measure_store(source: Path, store_url: str, label: str) -> dict:
    """First import and replace-all re-import of one file into one store, with the load."""
    figures = {}
    for step in ("import", "reimport"):
        load = load_average()
        progress(f"{label}: {step}")
        figures[step] = timing.import_in_child(source, store_url) | {"load_before": load,
                                                                    "load_after":
                                                                        load_average()}
        progress(f"{label}: {step} {figures[step]['seconds']} s, "
                 f"{figures[step]['peak_rss_mb']} MB peak (load {load})")
    return figures


def bench_size(count: int, args: argparse.Namespace, folder: Path) -> list[dict]:
    """Figures of every input format and store at one size."""
    rows = []
    for file_format, source in write_inputs(count, args.formats, args.seed, folder).items():
        label = f"{count:,} {file_format}"
        store_path = folder / f"store-{count}-{file_format}.gpkg"
        rows.append({"parcels": count, "input": file_format, "store": "gpkg",
                     **measure_store(source, str(store_path), f"{label} → GeoPackage")})
        store_path.unlink()
        if args.postgis_url:
            with postgis_schema(args.postgis_url,
                                f"bench_import_{os.getpid()}_{count}_{file_format}") as url:
                rows.append({"parcels": count, "input": file_format, "store": "postgis",
                             **measure_store(source, url, f"{label} → PostGIS")})
        source.unlink()
    return rows


def verdict(row: dict, step: str) -> str:
    """Whether a 10^6 figure meets both targets (empty for other sizes)."""
    if row["parcels"] != TARGET_SIZE:
        return ""
    figures = row[step]
    met = figures["seconds"] < TARGET_SECONDS and figures["peak_rss_mb"] < TARGET_PEAK_MB
    return "meets" if met else "MISSES"


def print_table(rows: list[dict]) -> None:
    """One line per size, input, store and step, the targets beside the figures."""
    print(f"\nImport of realistic parcels (targets at {TARGET_SIZE:,}: < {TARGET_SECONDS:.0f} s "
          f"and < {TARGET_PEAK_MB:.0f} MB peak, first import and re-import)")
    head = ("parcels", "input", "store", "step", "seconds", "peak MB", "load", "target")
    print(" ".join(f"{h:>10}" for h in head))
    for row in rows:
        for step in ("import", "reimport"):
            figures = row[step]
            values = (f"{row['parcels']:,}", row["input"], row["store"], step,
                      figures["seconds"], figures["peak_rss_mb"], figures["load_before"],
                      verdict(row, step))
            print(" ".join(f"{v:>10}" for v in values))


def main(argv: list[str] | None = None) -> int:
    """Measure every size, print the table, write the JSON."""
    args = parse_args(argv)
    rows: list[dict] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="landgis-bench-import-") as tmp:
        for count in args.sizes:
            rows += bench_size(count, args, Path(tmp))
            if args.json:  # written after every size, so a long run keeps what it measured
                args.json.write_text(json.dumps(
                    {"cpus": os.cpu_count(), "seconds": round(time.perf_counter() - started, 1),
                     "targets": {"parcels": TARGET_SIZE, "seconds": TARGET_SECONDS,
                                 "peak_mb": TARGET_PEAK_MB}, "results": rows}, indent=2),
                    encoding="utf-8")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
