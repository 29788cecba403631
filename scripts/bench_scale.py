"""Benchmark landgis at 10^3 to 10^6 parcels against baselines measured in the same run.

For each size: a deterministic synthetic district of realistic parcels (scripts/
realistic_district.py: 8-40 vertices, holes, multipolygons, zones) is imported into a GeoPackage
store and, given a PostGIS URL, into a fresh PostGIS schema (dropped afterwards).
Measured: import time and peak memory (child process), of a first import and of the same file
imported again (replace-all over the district, as when the bureau sends an update); tile p50/p95
at z12/14/16 on the GeoPackage store (cold, cached, and the default tile() from records) and on the
PostGIS backend, beside raw ST_AsMVT on the same table (see bench_timing.tile_figures); land-use
filter and bbox query latency; `landgis serve` with 2 workers on each store: the API rows of
issue 21 (scripts/bench_api.py: first page with numberMatched, a deep offset, `next` links from
the start and from the middle, a 0.02° bbox page, a land-use count with its first page, one
parcel by id), a 50-client 0.02° bbox load test (bench_serve.load_test) and the memory; at
--browser-at parcels, time until parcels are visible in headless Chromium and page weight
against a naive Folium page.

    python scripts/bench_scale.py [--max 1000000] [--json figures.json] [--postgis-url URL]

Generated data stays in a temporary folder (never commit it).
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import bench_timing as timing
from bench_api import api_figures, api_rows
from bench_serve import load_test, served
from realistic_district import write_realistic_district

from webapp.serving import settle_heap
from webapp.store import GeoPackageStore, open_store

SIZES = (1_000, 10_000, 100_000, 1_000_000)
NAIVE_MAX = 100_000  # the naive Folium page is compared up to this size (~100 MB there)
TARGETS = {"gpkg_tile_p95_vs_raw": 1.5, "cached_tile_p95_ms": 2.0, "postgis_tile_p95_vs_raw": 1.1,
           "landuse_p95_ms": 100.0, "import_1e6_s": 60.0, "import_peak_mb": 2048.0,
           "server_rss_mb": 1024.0, "load_p95_ms": 400.0, "visible_speedup": 40.0,
           "visible_1e6_ms": 2000.0, "html_kb": 500.0}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max", type=int, default=100_000,
                        help="largest district (default 100000; 1000000 adds 10^6)")
    parser.add_argument("--min", type=int, default=1_000, help="smallest district (default 1000)")
    parser.add_argument("--tiles", type=int, default=100, help="tiles per zoom (default 100)")
    parser.add_argument("--rounds", type=int, default=timing.ROUNDS,
                        help=f"tile passes per zoom; figures are their medians "
                             f"(default {timing.ROUNDS})")
    parser.add_argument("--postgis-url", default=os.environ.get("LANDGIS_TEST_POSTGIS_URL"),
                        help="PostGIS database for the backend and raw ST_AsMVT figures "
                             "(default: $LANDGIS_TEST_POSTGIS_URL; none skips them)")
    parser.add_argument("--browser-at", type=int, default=100_000,
                        help="district size of the Chromium page comparison (0: none)")
    parser.add_argument("--browser-runs", type=int, default=3, help="cold loads of our page")
    parser.add_argument("--seed", type=int, default=20261207, help="random seed")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write every figure here")
    return parser.parse_args(argv)


def progress(message: str) -> None:
    """One progress line on stderr with the time."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def postgis_store_url(url: str, schema: str) -> str:
    """The store URL of a schema in the PostGIS database at url."""
    return f"{url}{'&' if '?' in url else '?'}schema={schema}"


@contextmanager
def postgis_store(url: str, source: Path, schema: str):
    """(store, import figures) of the district imported into a new schema (then imported again,
    as a replace-all over it), dropped after."""
    import psycopg

    store_url = postgis_store_url(url, schema)
    try:
        figures = {"import": timing.import_in_child(source, store_url),
                   "reimport": timing.import_in_child(source, store_url)}
        store = open_store(store_url, source.parent)
        try:
            yield store, figures
        finally:
            store.close()
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def bench_size(count: int, args: argparse.Namespace, workdir: Path) -> dict:
    """Every figure for one district size."""
    source = workdir / f"district-{count}.gpkg"
    progress(f"{count:,} parcels: generating")
    write_realistic_district(count, source, args.seed)
    progress(f"{count:,}: importing into a GeoPackage store")
    store_path = workdir / f"store-{count}.gpkg"
    result: dict = {"parcels": count, "import_gpkg": timing.import_in_child(source,
                                                                          str(store_path))}
    progress(f"{count:,}: importing the same file again (replace-all over the district)")
    result["reimport_gpkg"] = timing.import_in_child(source, str(store_path))
    store = GeoPackageStore(store_path)
    bounds = store.bounds()
    tiles = {z: timing.sample_tiles(bounds, z, args.tiles, args.seed) for z in timing.ZOOMS}
    with ExitStack() as stack:
        pg = None
        if args.postgis_url:
            progress(f"{count:,}: importing into PostGIS")
            schema = f"bench_scale_{os.getpid()}_{count}"
            pg, result["postgis"] = stack.enter_context(postgis_store(
                args.postgis_url, source, schema))
        progress(f"{count:,}: tiles (GeoPackage, PostGIS, raw ST_AsMVT) and queries")
        settle_heap(store)  # as `landgis serve` does with its app before the first request
        gpkg_tiles, pg_tiles = timing.tile_figures(store, pg, tiles, args.rounds, args.tiles)
        result["tiles_gpkg"] = gpkg_tiles
        result["queries_gpkg"] = timing.query_figures(store, bounds, args.seed)
        if pg is not None:
            result["postgis"] |= {"tiles": pg_tiles,
                                  "queries": timing.query_figures(pg, bounds, args.seed)}
            progress(f"{count:,}: landgis serve --workers 2 on PostGIS: API rows, load test")
            with served(postgis_store_url(args.postgis_url, schema), workdir) as (url, _):
                result["postgis"]["api"] = api_figures(url, bounds, count)
                result["postgis"]["load_test"] = load_test(url)
    progress(f"{count:,}: landgis serve --workers 2: API rows, 50-client load test")
    with served(store_path, workdir) as (url, pid):
        result["api_gpkg"] = api_figures(url, bounds, count)
        result["load_test"] = load_test(url)
        timing.clear_tile_cache(store)  # cold tiles: each worker encodes some
        result["http_tiles_z14"] = timing.http_tiles(url, tiles[14])
        result["server_rss_mb"] = timing.process_tree_memory_mb(pid)
        result["server_pss_mb"] = timing.process_tree_memory_mb(pid, "Pss", "smaps_rollup")
        if count == args.browser_at:
            result["page"] = browser_figures(url, store, args.browser_runs,
                                             with_naive=count <= NAIVE_MAX)
    source.unlink()
    store_path.unlink()
    return result


def browser_figures(url: str, store, runs: int, with_naive: bool) -> dict:
    """The Chromium page comparison, or the error that stopped it (the other figures stand)."""
    from bench_browser import page_figures

    try:
        return page_figures(url, store, runs, progress, with_naive)
    except Exception as error:  # noqa: BLE001 - reported in the JSON and the table
        progress(f"browser comparison failed: {error}")
        return {"error": str(error)[:2000]}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def tile_rows(result: dict) -> list[tuple]:
    """Table rows of the tile figures of one size."""
    rows = []
    for z, gpkg in result["tiles_gpkg"].items():
        pg = result.get("postgis", {}).get("tiles", {}).get(z, {})
        raw = pg.get("raw_st_asmvt", {}).get("p95_ms")
        backend = pg.get("backend", {}).get("p95_ms")
        rows.append((result["parcels"], z, gpkg["tile_kb_p50"], gpkg["cold"]["p50_ms"],
                     gpkg["cold"]["p95_ms"], gpkg["cached"]["p95_ms"],
                     gpkg["plain_encoder"]["p95_ms"], backend, raw,
                     _rounded(gpkg.get("cold_p95_vs_raw")),
                     _rounded(pg.get("backend_p95_vs_raw"))))
    return rows


def print_tables(results: list[dict]) -> None:
    """Short tables: tiles per zoom, then queries, import, serving and the page."""
    print("\nTiles (ms; ratios: p95 against raw ST_AsMVT p95 on the same data, in the same "
          "round, median over rounds)")
    head = ("parcels", "z", "kB p50", "gpkg p50", "gpkg p95", "cached p95", "plain p95",
            "pg p95", "raw p95", "gpkg/raw", "pg/raw")
    print(" ".join(f"{h:>10}" for h in head))
    for result in results:
        for row in tile_rows(result):
            print(" ".join(f"{'-' if v is None else v:>10}" for v in row))
    print("\nQueries, import, serving")
    head = ("parcels", "lu p95 gp", "lu p95 pg", "bbox p95", "import s", "peak MB",
            "reimp s", "reimp MB", "pg imp s", "pg peak", "pg reimp s", "pg re MB", "load p95",
            "errors", "server MB", "server PSS")
    print(" ".join(f"{h:>10}" for h in head))
    for r in results:
        pg = r.get("postgis", {})
        row = (r["parcels"], r["queries_gpkg"]["landuse_count_first_page"]["p95_ms"],
               pg.get("queries", {}).get("landuse_count_first_page", {}).get("p95_ms"),
               r["queries_gpkg"]["bbox_1km_first_100"]["p95_ms"], r["import_gpkg"]["seconds"],
               r["import_gpkg"]["peak_rss_mb"], r["reimport_gpkg"]["seconds"],
               r["reimport_gpkg"]["peak_rss_mb"], pg.get("import", {}).get("seconds"),
               pg.get("import", {}).get("peak_rss_mb"), pg.get("reimport", {}).get("seconds"),
               pg.get("reimport", {}).get("peak_rss_mb"),
               r["load_test"]["p95_ms"], r["load_test"]["errors"], r["server_rss_mb"],
               r["server_pss_mb"])
        print(" ".join(f"{'-' if v is None else v:>10}" for v in row))
    print_api_tables(results)
    for r in results:
        http = r["http_tiles_z14"]
        print(f"{r['parcels']:,} parcels: cold z14 tiles over HTTP (4 clients) p50 "
              f"{http['p50_ms']} ms, p95 {http['p95_ms']} ms, {http['errors']} errors")
    for r in results:
        if "page" in r and "error" not in r["page"]:
            page, ours = r["page"], r["page"]["landgis"]
            print(f"\nPage at {r['parcels']:,} parcels: landgis visible in "
                  f"{ours['visible_ms']:,.0f} ms, HTML {ours['html_kb']} kB "
                  f"(tile mode: {ours['tile_mode']})", end="")
            naive = page.get("naive_folium")
            print(f"; naive Folium {naive['visible_ms']:,.0f} ms, HTML {naive['html_kb']:,} kB: "
                  f"{page['visible_speedup']}× sooner" if naive else "")


def print_api_tables(results: list[dict]) -> None:
    """The API rows of issue 21 per size and store (p50 / p95 ms over HTTP, one client), and
    the 50-client load test."""
    print("\nAPI over HTTP (landgis serve, 2 workers; one client; ms p50 / p95; target)")
    for r in results:
        stores = {"GeoPackage": r.get("api_gpkg"), "PostGIS": r.get("postgis", {}).get("api")}
        for store, figures in stores.items():
            if figures is None:
                continue
            print(f"{r['parcels']:,} parcels, {store} (numberMatched "
                  f"{figures['number_matched']:,}; next links from the middle / from the "
                  f"start: {figures['next_middle_vs_start']}×)")
            for label, p50, p95, target in api_rows(figures):
                print(f"  {label:<42} {p50:>9} / {p95:<9} < {target}")
        for store, load in (("GeoPackage", r["load_test"]),
                            ("PostGIS", r.get("postgis", {}).get("load_test"))):
            if load:
                print(f"  {store}: {load['clients']} clients, bbox {load['bbox_deg']}° "
                      f"limit={load['limit']} ({load['features_per_page']} features a page): "
                      f"p95 {load['p95_ms']} ms, {load['requests_per_s']} req/s, "
                      f"{load['errors']} errors (load {' '.join(load['loadavg'])})")


def main(argv: list[str] | None = None) -> int:
    """Run every size up to --max, print the tables, write the JSON."""
    args = parse_args(argv)
    sizes = [n for n in SIZES if args.min <= n <= args.max]
    results = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="landgis-bench-") as tmp:
        for count in sizes:
            results.append(bench_size(count, args, Path(tmp)))
            if args.json:  # written after every size, so a long run keeps what it measured
                write_json(args, results, started)
    print_tables(results)
    return 0


def write_json(args: argparse.Namespace, results: list[dict], started: float) -> None:
    """Every figure with the machine and the targets of issue 8."""
    report = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "platform": platform.platform()},
              "seconds": round(time.perf_counter() - started, 1), "targets": TARGETS,
              "results": results}
    args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str),
                         encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
