"""Benchmark the dashboard's figures on realistic districts: cold (computed in SQL) and warm
(kept per store generation in the summary cache) times at 10^5 and 10^6 parcels.

Districts come from --data (default /tmp/h6-keep, what `scripts/bench_select.py --keep` leaves:
store-N.gpkg, else district-N.gpkg imported here); without them a 10^5 district is generated
(scripts/realistic_district.py) into a temporary folder. Stores are copied or imported into a
temporary folder, never written in place. For each filter the cold time is supply() with the
kept answer dropped, the warm time the median of --rounds calls with it kept, both including the
figures and the four charts the dashboard draws from it.

    python scripts/bench_dashboard.py [--parcels 100000 1000000] [--data DIR] [--rounds 20]
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
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
from webapp.store.tables import SUMMARY_CACHE

FILTERS = {
    "district": ParcelFilter(),
    "one street": ParcelFilter(streets=(STREETS[0],)),
    "industrial, available": ParcelFilter(land_uses=("10",), statuses=("available",)),
    "area range": ParcelFilter(area_min_mu=4.0, area_max_mu=6.0),
}
NAMES = {s: s for s in ("available", "negotiating", "sold", "reserve")}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--data", type=Path, default=Path("/tmp/h6-keep"))
    parser.add_argument("--rounds", type=int, default=20)
    return parser.parse_args(argv)


def prepared_store(data: Path, workdir: Path, count: int) -> GeoPackageStore | None:
    """A private copy of the kept store, else the kept district imported, else (10^5 only) a
    generated district imported; None when there is no data for `count`."""
    path = workdir / f"store-{count}.gpkg"
    kept, district = data / f"store-{count}.gpkg", data / f"district-{count}.gpkg"
    if kept.exists():
        shutil.copyfile(kept, path)
    elif district.exists() or count <= 100_000:
        if not district.exists():
            district = workdir / f"district-{count}.gpkg"
            write_realistic_district(count, district)
        figures = timing.import_in_child(district, str(path))
        progress(f"{count:,}: imported in {figures['seconds']} s")
    else:
        return None
    store = GeoPackageStore(path)
    store.ensure_schema()
    return store


def draw(store: GeoPackageStore, table, parcel_filter: ParcelFilter) -> None:
    """What a dashboard view does with the store's answer: the figures and four charts."""
    figures = dashboard_figures(store.summaries.supply(parcel_filter), table, "zh", NAMES, "-")
    for rows in (figures.by_class, figures.by_street, figures.by_status):
        bar_chart_svg("t", [r.label for r in rows],
                      [Series(s, "#000000", tuple(r.area_mu.get(s, 0.0) for r in rows))
                       for s in SHOWN_STATUSES])
    bar_chart_svg("t", [m.month for m in figures.by_month],
                  [Series("a", "#000000", tuple(float(m.available) for m in figures.by_month))],
                  stacked=False)


def measure(store: GeoPackageStore, rounds: int) -> dict[str, tuple[float, float]]:
    """(cold ms, warm median ms) per filter."""
    table, result = load_landuse_table(), {}
    for name, parcel_filter in FILTERS.items():
        with store.cache_writer.connection() as db:
            db.execute(f"DELETE FROM {SUMMARY_CACHE} WHERE name = 'supply'")
        started = time.perf_counter()
        draw(store, table, parcel_filter)
        cold = (time.perf_counter() - started) * 1000
        warm = []
        for _ in range(rounds):
            started = time.perf_counter()
            draw(store, table, parcel_filter)
            warm.append((time.perf_counter() - started) * 1000)
        result[name] = (cold, statistics.median(warm))
    return result


def main(argv: list[str] | None = None) -> int:
    """Measure each district size with data and print one line per filter."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="landgis-bench-dashboard-") as workdir:
        for count in args.parcels:
            store = prepared_store(args.data, Path(workdir), count)
            if store is None:
                print(f"{count:>9,} parcels: no data in {args.data}, skipped")
                continue
            for name, (cold, warm) in measure(store, args.rounds).items():
                print(f"{count:>9,} parcels  {name:<22} cold {cold:9.1f} ms   "
                      f"warm {warm:7.2f} ms")
            store.close()
            Path(workdir, f"store-{count}.gpkg").unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
