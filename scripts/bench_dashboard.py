"""Benchmark the dashboard's figures on realistic districts, on the GeoPackage store and (given a
PostGIS URL) a PostGIS schema: the first view after an import, the first after one edit (the
store generation changed: the supply aggregate is computed again) and warm views.

Districts come from --data (default /tmp/h6-keep, what `scripts/bench_select.py --keep` leaves:
store-N.gpkg, else district-N.gpkg imported here); without them a 10^5 district is generated
(scripts/realistic_district.py). Stores are copied or imported into a temporary folder or a
schema of this process (dropped after), never written in place; a PostGIS district is copied
from the kept `bench_select_N` schema when there is one, else imported. Each view includes the
figures and the four charts the dashboard draws. "import" is the aggregate's part of an
import's warm-up (kept_summaries.warm) and the first view after it; "edit" is the first view
after one status edit, per filter.

    python scripts/bench_dashboard.py [--parcels 100000 1000000] [--data DIR] [--rounds 20]
                                      [--postgis URL] [--stores gpkg postgis]
"""

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import bench_timing as timing
from bench_district import STREETS
from bench_export import progress
from realistic_district import write_realistic_district

from webapp.dashboard.charts import Series, bar_chart_svg
from webapp.dashboard.figures import SHOWN_STATUSES, dashboard_figures
from webapp.domain.filters import ParcelFilter
from webapp.domain.landuse import load_landuse_table
from webapp.store import GeoPackageStore
from webapp.store.postgis import PostGISStore
from webapp.store.tables import PARCEL_COLUMNS

FILTERS = {
    "district": ParcelFilter(),
    "one street": ParcelFilter(streets=(STREETS[0],)),
    "industrial, available": ParcelFilter(land_uses=("10",), statuses=("available",)),
    "2 uses, 2 streets": ParcelFilter(land_uses=("09", "11"), streets=STREETS[:2]),
}
NAMES = {s: s for s in ("available", "negotiating", "sold", "reserve")}
TARGET_COLD_S, TARGET_WARM_MS = 2.0, 50.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, nargs="+", default=[100_000])
    parser.add_argument("--data", type=Path, default=Path("/tmp/h6-keep"))
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--postgis", default=os.environ.get("LANDGIS_TEST_POSTGIS_URL"))
    parser.add_argument("--stores", nargs="+", choices=("gpkg", "postgis"),
                        default=["gpkg", "postgis"])
    return parser.parse_args(argv)


def district_file(data: Path, workdir: Path, count: int) -> Path | None:
    """The kept district file, else (10^5 and fewer) a generated one; None without data."""
    district = data / f"district-{count}.gpkg"
    if district.exists():
        return district
    if count > 100_000:
        return None
    district = workdir / f"district-{count}.gpkg"
    if not district.exists():
        write_realistic_district(count, district)
    return district


@contextlib.contextmanager
def gpkg_store(data: Path, workdir: Path, count: int) -> Iterator[GeoPackageStore | None]:
    """A private copy of the kept store, else the district imported; None without data."""
    path, kept = workdir / f"store-{count}.gpkg", data / f"store-{count}.gpkg"
    if kept.exists():
        shutil.copyfile(kept, path)
    else:
        district = district_file(data, workdir, count)
        if district is None:
            yield None
            return
        figures = timing.import_in_child(district, str(path))
        progress(f"{count:,}: imported in {figures['seconds']} s")
    store = GeoPackageStore(path)
    started = time.perf_counter()
    store.ensure_schema()  # as the app does at start: a kept file gets the supply index
    progress(f"{count:,}: GeoPackage brought up to date in {time.perf_counter() - started:.1f} s")
    try:
        yield store
    finally:
        store.close()
        path.unlink()


@contextlib.contextmanager
def postgis_store(url: str, data: Path, workdir: Path,
                  count: int) -> Iterator[PostGISStore | None]:
    """The district in a schema of this process (dropped after): copied from the kept
    bench_select_N schema when it holds the district, else imported; None without data."""
    import psycopg

    schema = f"bench_dashboard_{os.getpid()}_{count}"
    store_url = f"{url}{'&' if '?' in url else '?'}schema={schema}"
    store = PostGISStore(store_url)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            kept = conn.execute("SELECT reltuples FROM pg_class c JOIN pg_namespace n ON "
                                "n.oid = c.relnamespace WHERE n.nspname = %s AND relname = "
                                "'parcels'", (f"bench_select_{count}",)).fetchone()
        started = time.perf_counter()
        if kept and abs(kept[0] - count) < count * 0.01:
            store.ensure_schema()
            columns = ", ".join(("id", *PARCEL_COLUMNS, "geom"))
            with store.database.transaction() as conn:
                conn.execute(f"INSERT INTO {store.parcels} ({columns}) SELECT {columns} "
                             f"FROM bench_select_{count}.parcels")
            with store.database.pooled_autocommit() as conn:
                conn.execute(f"VACUUM (ANALYZE) {store.parcels}")
            progress(f"{count:,}: copied into PostGIS in {time.perf_counter() - started:.1f} s")
        else:
            district = district_file(data, workdir, count)
            if district is None:
                yield None
                return
            timing.import_in_child(district, store_url)
            progress(f"{count:,}: imported into PostGIS in "
                     f"{time.perf_counter() - started:.1f} s")
        yield store
    finally:
        store.close()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def draw(store, table, parcel_filter: ParcelFilter) -> None:
    """What a dashboard view does with the store's answer: the figures and four charts."""
    figures = dashboard_figures(store.summaries.supply(parcel_filter), table, "zh", NAMES, "-")
    for rows in (figures.by_class, figures.by_street, figures.by_status):
        bar_chart_svg("t", [r.label for r in rows],
                      [Series(s, "#000000", tuple(r.area_mu.get(s, 0.0) for r in rows))
                       for s in SHOWN_STATUSES])
    bar_chart_svg("t", [m.month for m in figures.by_month],
                  [Series("a", "#000000", tuple(float(m.available) for m in figures.by_month))],
                  stacked=False)


def seconds(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def edit_one(store) -> None:
    """One status edit (a new store generation, an audit record)."""
    parcel = store.query(ParcelFilter(statuses=("available",)), limit=1,
                         with_geometry=False).parcels[0]
    store.update_parcel(parcel.id, {"status": "sold"}, None, "bench", "bench")


def measure(store, rounds: int) -> dict[str, dict[str, float]]:
    """Seconds per filter: first view after an import, after one edit; warm median."""
    table = load_landuse_table()
    edit_one(store)
    result = {"import": {"warm-up": seconds(store.summaries.supply_groups)}}
    for name, parcel_filter in FILTERS.items():
        after_import = seconds(lambda f=parcel_filter: draw(store, table, f))
        edit_one(store)
        after_edit = seconds(lambda f=parcel_filter: draw(store, table, f))
        warm = statistics.median(seconds(lambda f=parcel_filter: draw(store, table, f))
                                 for _ in range(rounds))
        result[name] = {"import": after_import, "edit": after_edit, "warm": warm}
        store.summaries.supply_groups()  # the next filter's "after an import": kept again
    return result


def print_figures(label: str, count: int, figures: dict[str, dict[str, float]]) -> None:
    print(f"{count:>9,} {label:<8} import warm-up (supply aggregate) "
          f"{figures.pop('import')['warm-up'] * 1000:8.1f} ms")
    for name, f in figures.items():
        ok = f["edit"] < TARGET_COLD_S and f["warm"] * 1000 < TARGET_WARM_MS
        print(f"{count:>9,} {label:<8} {name:<22} after import {f['import'] * 1000:8.1f} ms  "
              f"after edit {f['edit'] * 1000:8.1f} ms  warm {f['warm'] * 1000:6.2f} ms  "
              f"{'PASS' if ok else 'FAIL'}")


def opened_store(label: str, args: argparse.Namespace, workdir: Path, count: int):
    """The store of `label` holding the district of `count` parcels (a context manager)."""
    if label == "gpkg":
        return gpkg_store(args.data, workdir, count)
    return postgis_store(args.postgis, args.data, workdir, count)


def main(argv: list[str] | None = None) -> int:
    """Measure each district size with data and print one line per store and filter."""
    args = parse_args(argv)
    print(f"targets: first view after an edit < {TARGET_COLD_S} s, warm < {TARGET_WARM_MS} ms; "
          f"load {Path('/proc/loadavg').read_text().strip()}")
    with tempfile.TemporaryDirectory(prefix="landgis-bench-dashboard-") as tmp:
        workdir = Path(tmp)
        for count in args.parcels:
            for label in args.stores:
                if label == "postgis" and not args.postgis:
                    print("postgis: no --postgis URL (or LANDGIS_TEST_POSTGIS_URL), skipped")
                    continue
                with opened_store(label, args, workdir, count) as store:
                    if store is None:
                        print(f"{count:>9,} {label}: no data in {args.data}, skipped")
                        continue
                    print_figures(label, count, measure(store, args.rounds))
    print(f"load {Path('/proc/loadavg').read_text().strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
