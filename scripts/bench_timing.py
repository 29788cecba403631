"""Timed measurements for scripts/bench_scale.py: tiles, queries, raw ST_AsMVT, import, serving.

Every function returns plain dicts of figures (milliseconds, MB, counts) for the JSON report.
"""

import json
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from webapp.domain.filters import ParcelFilter
from webapp.store.interface import ParcelStore
from webapp.tiles.grid import tile_containing

REPO_ROOT = Path(__file__).resolve().parents[1]
ZOOMS = (12, 14, 16)
ROUNDS = 5  # tile passes per zoom and side; figures are the medians over them
PLAIN_TILES = 10  # tiles per zoom timed through the default tile(): parcel records queried,
# then encoded by webapp.tiles.mvt.encode_parcel_tile (no band geometry, no cache)
IMPORT_CODE = """
import sys, time
from pathlib import Path
from webapp.domain.landuse import load_landuse_table
from webapp.importing.pipeline import apply_import, plan_import
from webapp.store import open_store
store = open_store(sys.argv[2], Path(sys.argv[1]).parent)
plan = plan_import(Path(sys.argv[1]), load_landuse_table())
apply_import(store, plan, "replace")
if hasattr(store, "ensure_schema"):
    store.ensure_schema()
status = Path("/proc/self/status").read_text()
print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
"""
RAW_MVT_SQL = """SELECT ST_AsMVT(t, 'parcels', 4096, 'geom', 'id') FROM (
    SELECT id, code, land_use, status, area_m2,
           ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4096, 64,
                        true) AS geom
    FROM {table}
    WHERE geom && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s,
                                               margin => 64.0 / 4096), 4326)) AS t"""


def summary_ms(samples_s: list[float]) -> dict[str, float]:
    """p50, p95 and max of timings given in seconds, as milliseconds."""
    ms = np.array(samples_s) * 1000
    return {"p50_ms": round(float(np.percentile(ms, 50)), 3),
            "p95_ms": round(float(np.percentile(ms, 95)), 3),
            "max_ms": round(float(ms.max()), 3), "n": len(ms)}


def timed(call) -> tuple[float, object]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def sample_tiles(bounds, z: int, count: int, seed: int) -> list:
    """`count` distinct tiles of zoom z at seeded random points inside lon/lat bounds."""
    rng = np.random.default_rng(seed + z)
    west, south, east, north = bounds
    tiles = []
    for lon, lat in zip(rng.uniform(west, east, 4 * count), rng.uniform(south, north, 4 * count),
                        strict=True):
        tile = tile_containing(float(lon), float(lat), z)
        if tile not in tiles:
            tiles.append(tile)
        if len(tiles) == count:
            break
    return tiles


def clear_tile_cache(store) -> None:
    """Empty a GeoPackage store's tile cache (so the next tiles are cold)."""
    import sqlite3
    from contextlib import closing

    from webapp.store.geopackage.tile_tables import TILE_CACHE

    with closing(sqlite3.connect(store.path)) as db, db:
        db.execute(f"DELETE FROM {TILE_CACHE}")


def _raw_tile(conn, table: str):
    """A call making raw ST_AsMVT of one tile on a connection."""
    sql = RAW_MVT_SQL.format(table=table)
    return lambda t: conn.execute(sql, {"z": t.z, "x": t.x, "y": t.y}).fetchone()


def tile_figures(store, pg, tiles_by_zoom: dict[int, list], rounds: int = ROUNDS,
                 samples: int = 0) -> tuple[dict, dict]:
    """(GeoPackage figures, PostGIS figures) per zoom, each the median over `rounds` rounds; in a
    round the two sides of a zoom are measured one right after the other. Ratios against raw
    ST_AsMVT are taken within each round (both sides met the same machine), then their median.
    A zoom with fewer tiles than `samples` (a small district has one z12 tile) is timed over
    its tiles again until each side has about that many timings in a round.

    This shared 2-core machine has slower seconds now and then, which move one pass's p95 by up
    to half; a median over rounds, each side measured in every round, keeps one such second out
    of a ratio. In each round, each side first makes a pass over the tiles that is not counted:
    it warms PostgreSQL's buffer cache, or SQLite's page cache (the GeoPackage tile cache is
    emptied after it, so every counted cold tile is built). Raw ST_AsMVT and the PostGIS backend
    are timed tile by tile side by side. The GeoPackage store is timed in passes of its own
    (cold, cached, plain encoder): right after PostgreSQL calls its Python work runs up to twice
    as slow on CPU caches the other process has just used, which measures the neighbour.
    """
    gpkg_figures, pg_figures = {}, {}
    with ExitStack() as stack:
        conn = stack.enter_context(pg.database.transaction()) if pg is not None else None
        raw_tile = _raw_tile(conn, pg.parcels) if pg is not None else None
        for z, tiles in tiles_by_zoom.items():
            passes = max(1, round(samples / len(tiles))) if tiles else 1
            gpkg_rounds, pg_rounds = [], []
            for _ in range(rounds):
                gpkg_rounds.append(_gpkg_figures(store, tiles, passes))
                if pg is not None:
                    pg_rounds.append(_postgis_figures(pg, raw_tile, tiles, passes))
                    raw_p95 = pg_rounds[-1]["raw_st_asmvt"]["p95_ms"]
                    gpkg_rounds[-1]["cold_p95_vs_raw"] = paired_ratio(
                        gpkg_rounds[-1]["cold"]["p95_ms"], raw_p95)
                    pg_rounds[-1]["backend_p95_vs_raw"] = paired_ratio(
                        pg_rounds[-1]["backend"]["p95_ms"], raw_p95)
            gpkg_figures[z] = median_of_rounds(gpkg_rounds)
            if pg is not None:
                pg_figures[z] = median_of_rounds(pg_rounds)
    return gpkg_figures, pg_figures


def paired_ratio(a: float, b: float) -> float:
    """a / b of one round (4 decimals: medians over rounds round them to 3)."""
    return round(a / b, 4) if b else float("nan")


def median_of_rounds(rounds: list):
    """The figures of several rounds (dicts of numbers, nested) as their medians."""
    first = rounds[0]
    if isinstance(first, dict):
        return {key: median_of_rounds([r[key] for r in rounds]) for key in first}
    return round(float(np.median(rounds)), 3) if isinstance(first, float) else first


def _postgis_figures(pg, raw_tile, tiles: list, passes: int = 1) -> dict:
    everything = ParcelFilter()
    for tile in tiles:  # warm-up
        raw_tile(tile)
        pg.tile(tile.z, tile.x, tile.y, everything)
    raw, backend = [], []
    for tile in tiles * passes:
        raw.append(timed(lambda t=tile: raw_tile(t))[0])
        backend.append(timed(lambda t=tile: pg.tile(t.z, t.x, t.y, everything))[0])
    return {"raw_st_asmvt": summary_ms(raw), "backend": summary_ms(backend)}


def _gpkg_figures(store, tiles: list, passes: int = 1) -> dict:
    everything = ParcelFilter()
    for tile in tiles:  # warm-up
        store.tile(tile.z, tile.x, tile.y, everything)
    cold, sizes = [], []
    for _ in range(passes):
        clear_tile_cache(store)  # every counted tile is built
        for tile in tiles:
            seconds, data = timed(lambda t=tile: store.tile(t.z, t.x, t.y, everything))
            cold.append(seconds)
            sizes.append(len(data))
    cached = [timed(lambda t=t: store.tile(t.z, t.x, t.y, everything))[0] for t in tiles]
    plain = [timed(lambda t=t: ParcelStore.tile(store, t.z, t.x, t.y, everything))[0]
             for t in tiles[:PLAIN_TILES]]
    return {"cold": summary_ms(cold), "cached": summary_ms(cached),
            "plain_encoder": summary_ms(plain),
            "tile_kb_p50": round(statistics.median(sizes) / 1000, 1),
            "tile_kb_max": round(max(sizes) / 1000, 1)}


def query_figures(store, bounds, seed: int, repeats: int = 30) -> dict:
    """Land-use filter (count + first page of 50) and 1 km bbox queries (first 100), in ms."""
    rng = np.random.default_rng(seed)
    west, south, east, north = bounds
    landuse, bbox = [], []
    codes = ("1001", "0901", "07", "110101", "14")
    for i in range(repeats):
        use_filter = ParcelFilter(land_uses=(codes[i % len(codes)],))
        landuse.append(timed(lambda f=use_filter: store.query(f, limit=50))[0])
        lon, lat = rng.uniform(west, east - 0.01), rng.uniform(south, north - 0.01)
        box = (float(lon), float(lat), float(lon) + 0.0106, float(lat) + 0.009)
        bbox.append(timed(lambda b=box: store.query(ParcelFilter(bbox=b), limit=100))[0])
    return {"landuse_count_first_page": summary_ms(landuse), "bbox_1km_first_100": summary_ms(bbox)}


def import_in_child(source: Path, store_url: str, env: dict | None = None) -> dict:
    """Import a file into a store in a child process: wall time and the child's peak RSS.

    The peak is the child's own VmHWM: its rusage maxrss also holds this process's RSS at the
    moment it started the child (Linux records the old address space's peak at exec)."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", IMPORT_CODE, str(source), store_url],
                            cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"import into {store_url} failed:\n{result.stderr[-3000:]}")
    peak_kb = int(result.stdout.split()[-1])
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak_kb / 1024, 1)}


def process_tree_memory_mb(pid: int, field: str = "VmRSS", source: str = "status") -> float:
    """Resident memory of a process and all its descendants (Linux /proc), MB. RSS counts the
    pages processes share (libraries, pages a fork left shared) once per process; with
    field="Pss", source="smaps_rollup" each shared page is split among its sharers instead."""
    total_kb, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/{source}").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except FileNotFoundError:
            continue
        total_kb += next(int(line.split()[1]) for line in status.splitlines()
                         if line.startswith(f"{field}:"))
        pending += [int(c) for c in children]
    return round(total_kb / 1024, 1)


def _get(url: str, parse=json.loads) -> tuple[float, bool]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            parse(response.read())
            return time.perf_counter() - start, response.status == 200
    except (OSError, ValueError):
        return time.perf_counter() - start, False


def http_tiles(base_url: str, tiles: list, clients: int = 4) -> dict:
    """Vector tiles asked over HTTP by a few concurrent clients (a map filling its view): every
    worker then holds what serving tiles takes, before the server's memory is read."""
    urls = [f"{base_url}/api/collections/parcels/tiles/WebMercatorQuad/{t.z}/{t.y}/{t.x}"
            for t in tiles]
    with ThreadPoolExecutor(max_workers=clients) as pool:
        answers = list(pool.map(lambda url: _get(url, parse=len), urls, timeout=600))
    return {"errors": sum(not ok for _, ok in answers),
            **summary_ms([seconds for seconds, _ in answers])}


def load_test(base_url: str, bounds, viewers: int = 50, per_viewer: int = 10,
              seed: int = 7) -> dict:
    """`viewers` concurrent clients each asking bbox items `per_viewer` times (a 1 km view)."""
    rng = np.random.default_rng(seed)
    west, south, east, north = bounds
    urls = []
    for _ in range(viewers * per_viewer):
        lon, lat = rng.uniform(west, east - 0.01), rng.uniform(south, north - 0.01)
        urls.append(f"{base_url}/api/collections/parcels/items?limit=100&bbox="
                    f"{lon:.5f},{lat:.5f},{lon + 0.0106:.5f},{lat + 0.009:.5f}")
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=viewers) as pool:
        answers = list(pool.map(_get, urls, timeout=600))
    wall = time.perf_counter() - start
    return {"viewers": viewers, "requests": len(urls),
            "errors": sum(not ok for _, ok in answers),
            "requests_per_s": round(len(urls) / wall, 1),
            **summary_ms([seconds for seconds, _ in answers])}
