"""Generate a SYNTHETIC district with realistic parcel shapes, for scripts/bench_export.py.

Unlike bench_district's quadrilaterals: parcels lie in clustered zones (industrial parks,
residential quarters), most have 8-40 vertices, about 5 % have a hole (a kept building, a
pond) and about 3 % are multipolygons (a parcel split by a road); every attribute of the parcel
schema is filled as a bureau's file fills it, some notes long. Same seed and count give the
same file. Nothing here is real: codes, names, streets and figures are invented.

    python scripts/realistic_district.py 100000 district.gpkg
"""

import argparse
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from bench_district import CENTRE_LONLAT, M_PER_DEG_LAT, STATUSES, STREETS

CELL_M = 120.0  # grid pitch; each parcel stays inside its cell, so parcels never overlap
VERTICES = (8, 40)
HOLE_SHARE, MULTI_SHARE = 0.05, 0.03
ZONE_PARCELS = 1500  # parcels per zone on average
ZONE_USES = (("100101", "100102", "1001"), ("070101", "0701", "0702"), ("0901", "0902"),
             ("110101", "1101"), ("0801", "14", "16"))
SUPPLY = ("listing", "auction", "tender", "agreement")

Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    return None


def zone_cells(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(cell column and row, zone index) of `count` cells drawn densely around zone centres."""
    side = math.ceil(math.sqrt(count * 2.5))
    zones = max(1, count // ZONE_PARCELS)
    centres = rng.normal(side / 2, side / 5, size=(zones, 2)).clip(0, side - 1)
    spread = rng.uniform(0.4, 1.2, zones) * math.sqrt(ZONE_PARCELS / math.pi)
    best = np.full((side, side), 50.0)  # squared distance in zone spreads (50: far from all)
    nearest = rng.integers(0, zones, (side, side))
    for zone in range(zones):  # only the window around each zone: 10^6 parcels, 666 zones
        (cx, cy), reach = centres[zone], int(4 * spread[zone]) + 1
        r0, r1 = max(0, int(cy) - reach), min(side, int(cy) + reach + 1)
        c0, c1 = max(0, int(cx) - reach), min(side, int(cx) + reach + 1)
        rows, cols = np.ogrid[r0:r1, c0:c1]
        d2 = ((cols - cx) ** 2 + (rows - cy) ** 2) / spread[zone] ** 2
        window, owner = best[r0:r1, c0:c1], nearest[r0:r1, c0:c1]
        closer = d2 < window
        window[closer], owner[closer] = d2[closer], zone
    # weighted sampling without replacement (Efraimidis-Spirakis keys), denser near a centre
    keys = np.log(rng.uniform(1e-12, 1, side * side)) / np.exp(-best.ravel() / 2).clip(1e-9)
    chosen = np.sort(np.argpartition(-keys, count - 1)[:count])
    cells = np.stack([chosen % side, chosen // side], axis=1).astype(float)
    return cells, nearest.ravel()[chosen]


def star_rings(n: int, vertices: int, radius: np.ndarray, rng: np.random.Generator,
               centre: np.ndarray) -> np.ndarray:
    """(n, vertices + 1, 2) closed star-shaped rings (always simple) in metres."""
    angles = np.sort(rng.uniform(0, 2 * np.pi, (n, vertices)), axis=1)
    wobble = 1 + 0.25 * np.sin(angles * rng.integers(2, 5, (n, 1)) + rng.uniform(0, 6, (n, 1)))
    r = radius[:, None] * wobble * rng.uniform(0.8, 1.0, (n, vertices))
    xy = np.stack([np.cos(angles) * r, np.sin(angles) * r], axis=2) + centre[:, None, :]
    return np.concatenate([xy, xy[:, :1]], axis=1)


def cell_shapes(n: int, vertices: int, rng: np.random.Generator) -> np.ndarray:
    """n parcel shapes of `vertices` vertices in cell-local metres (origin at the cell centre):
    polygons, some with a hole, some two-part multipolygons."""
    kind = rng.uniform(0, 1, n)
    multi, holed = kind < MULTI_SHARE, (kind >= MULTI_SHARE) & (kind < MULTI_SHARE + HOLE_SHARE)
    radius = rng.uniform(0.28, 0.36, n) * CELL_M
    centre = np.zeros((n, 2))
    centre[multi, 0] = -0.18 * CELL_M
    radius[multi] = 0.2 * CELL_M
    shells = shapely.polygons(star_rings(n, vertices, radius, rng, centre))
    if holed.any():
        k = int(holed.sum())
        hole = shapely.linearrings(star_rings(k, 6, radius[holed] * 0.25, rng, np.zeros((k, 2))))
        shells[holed] = shapely.polygons(shapely.get_exterior_ring(shells[holed]),
                                         holes=hole[:, None])
    if multi.any():
        k = int(multi.sum())
        part = shapely.polygons(star_rings(k, 8, np.full(k, 0.15 * CELL_M), rng,
                                           np.tile([0.27 * CELL_M, 0], (k, 1))))
        shells[multi] = shapely.multipolygons(np.stack([shells[multi], part], axis=1))
    return shells


def district_geometries(cells: np.ndarray, rng: np.random.Generator,
                        progress: Progress) -> np.ndarray:
    """Lon/lat geometries, one per cell, vertex counts spread over VERTICES (fewer many)."""
    count = len(cells)
    low, high = VERTICES
    vertices = np.minimum(low + rng.geometric(0.08, count) - 1, high)
    geometries = np.empty(count, dtype=object)
    m_per_deg_lon = M_PER_DEG_LAT * math.cos(math.radians(CENTRE_LONLAT[1]))
    side = cells.max() + 1
    for step, v in enumerate(range(low, high + 1)):
        picked = np.flatnonzero(vertices == v)
        if len(picked) == 0:
            continue
        local = cell_shapes(len(picked), int(v), rng)
        offsets = (cells[picked] - side / 2) * CELL_M
        geometries[picked] = _shift(local, offsets)
        if step % 8 == 7 or v == high:
            progress(f"shapes of {low}-{v} vertices done")
    coords = shapely.get_coordinates(geometries)
    lonlat = np.round(np.stack([CENTRE_LONLAT[0] + coords[:, 0] / m_per_deg_lon,
                                CENTRE_LONLAT[1] + coords[:, 1] / M_PER_DEG_LAT], axis=1), 7)
    return shapely.set_coordinates(geometries, lonlat)


def _shift(geometries: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Each geometry moved by its (dx, dy) in metres."""
    counts = shapely.get_num_coordinates(geometries)
    coords = shapely.get_coordinates(geometries) + np.repeat(offsets, counts, axis=0)
    return shapely.set_coordinates(geometries.copy(), coords)


def district_attributes(zones: np.ndarray, rng: np.random.Generator) -> dict[str, object]:
    """Every attribute of the parcel schema, land use and street following the zone."""
    count = len(zones)
    index = np.arange(count)
    family = zones % len(ZONE_USES)
    uses = np.array([ZONE_USES[f][k % len(ZONE_USES[f])]
                     for f, k in zip(family, rng.integers(0, 3, count), strict=True)])
    far_min = np.round(rng.uniform(0.8, 2.0, count), 1)
    long_note = rng.uniform(0, 1, count) < 0.02
    return {
        "code": [f"R{i:07d}" for i in index],
        "name": [f"合成地块{i}号（{'工业' if f == 0 else '综合'}）" for i, f in zip(index, family,
                                                                          strict=True)],
        "land_use": uses,
        "street": np.array(STREETS)[zones % len(STREETS)],
        "location": [f"示例路{z % 97}号以东、规划{z % 31}路以北" for z in zones],
        "status": np.array(STATUSES)[rng.integers(0, len(STATUSES), count)],
        "supply_method": np.array(SUPPLY)[rng.integers(0, len(SUPPLY), count)],
        "lease_years": np.where(np.char.startswith(uses.astype(str), "07"), 70, 50),
        "far_min": far_min, "far_max": far_min + np.round(rng.uniform(0, 1.5, count), 1),
        "density_min_pct": np.round(rng.uniform(20, 35, count)),
        "density_max_pct": np.round(rng.uniform(40, 60, count)),
        "green_min_pct": np.round(rng.uniform(10, 20, count)),
        "green_max_pct": np.round(rng.uniform(25, 35, count)),
        "height_max_m": np.round(rng.uniform(15, 100, count)),
        "price_start_wan": np.round(rng.uniform(200, 20000, count), 1),
        "deposit_wan": np.round(rng.uniform(50, 4000, count), 1),
        "invest_min_wan_per_mu": np.round(rng.uniform(150, 500, count)),
        "tax_min_wan_per_mu": np.round(rng.uniform(10, 40, count)),
        "contact": "花山区投资促进中心 0555-0000101",
        "note": np.where(long_note, "合成数据，非真实地块。" * 40, "合成数据，非真实地块。"),
    }


def realistic_frame(count: int, seed: int = 20261207,
                    progress: Progress = _quiet) -> gpd.GeoDataFrame:
    """`count` realistic synthetic parcels as an EPSG:4326 frame with the sample's columns."""
    rng = np.random.default_rng(seed)
    progress(f"placing {count:,} parcels in zones")
    cells, zones = zone_cells(count, rng)
    geometries = district_geometries(cells, rng, progress)
    progress("attributes")
    return gpd.GeoDataFrame(district_attributes(zones, rng), geometry=geometries,
                            crs="EPSG:4326")


def write_realistic_district(count: int, path: Path, seed: int = 20261207,
                             progress: Progress = _quiet) -> None:
    """Write the realistic district as a GeoPackage (layer `parcels`) at path."""
    frame = realistic_frame(count, seed, progress)
    progress(f"writing {path.name}")
    pyogrio.write_dataframe(frame, path, layer="parcels", driver="GPKG",
                            geometry_type="MultiPolygon", promote_to_multi=True)


def main(argv: list[str] | None = None) -> int:
    """Write a realistic synthetic district."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of parcels (1 or more)")
    parser.add_argument("out", type=Path, help="GeoPackage to write")
    parser.add_argument("--seed", type=int, default=20261207, help="random seed")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    started = time.perf_counter()
    write_realistic_district(args.count, args.out, args.seed, lambda message: print(
        f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True))
    print(f"wrote {args.count:,} realistic synthetic parcels to {args.out} (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
