"""Generate SYNTHETIC context layers for a realistic district (scripts/realistic_district.py).

Same count and seed as the district give layers consistent with its parcels: roads along its
cell grid (scripts/realistic_roads.py: expressways with interchanges, national roads G205 and
G328, main and minor roads, never crossing a parcel), stations at main-road crossings, the
Yangtze bank west of the district with ports on it and a 3 km riverside belt, street (街道)
boundaries along the grid around the zones whose parcels carry that street, parks on empty cells and
residential areas (polygons, most with a hole: a school, a kept village) over the residential
zones. About 10^4 features for 10^6 parcels. Nothing here is real: names and places are invented.

    python scripts/realistic_context.py 100000 context.gpkg   # one GeoPackage layer per kind
"""

import argparse
import math
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from bench_district import CENTRE_LONLAT, M_PER_DEG_LAT, STREETS
from realistic_district import CELL_M, ZONE_USES, Progress, star_rings, zone_cells
from realistic_roads import Features, boundary_m, place_name, road_network

# layer name → (kind of webapp.domain.context.CONTEXT_KINDS, title)
CONTEXT_LAYERS = {
    "expressway": ("expressway", "高速公路"), "national_road": ("national_road", "国道"),
    "roads": ("road", "城市道路"), "interchanges": ("interchange", "高速互通"),
    "stations": ("station", "车站"), "ports": ("port", "港口码头"),
    "riverbank": ("riverbank", "长江岸线"), "riverside_belt": ("riverside_belt", "沿江带"),
    "streets": ("street_boundary", "街道界线"), "parks": ("park", "公园绿地"),
    "residential": ("residential", "居住区"),
}
RESIDENTIAL_FAMILY = ZONE_USES.index(("070101", "0701", "0702"))
BELT_M = 3000.0  # riverside belt width inland from the bank
BANK_VERTEX_M = 100.0
PORT_EVERY_M = 7000.0
STREET_BLOCK = 8  # street boundaries run on every 8th grid line (where minor roads may be)


def quiet(message: str) -> None:
    """No progress lines."""


def occupancy(cells: np.ndarray) -> np.ndarray:
    """(side, side) booleans, [row, column] True where a parcel lies."""
    side = int(cells.max()) + 1
    grid = np.zeros((side, side), dtype=bool)
    grid[cells[:, 1].astype(int), cells[:, 0].astype(int)] = True
    return grid


def cell_centre_m(cells: np.ndarray, side: int) -> np.ndarray:
    """District metres of cell centres (as realistic_district places its parcels)."""
    return (np.asarray(cells, dtype=float) - side / 2) * CELL_M


def river(side: int, rng: np.random.Generator) -> tuple[Features, Features, Features]:
    """(bank lines, riverside belt polygons, ports) west of the district: a meandering bank
    300-1,100 m west of the first column, the belt 3 km inland, a port every 7 km."""
    south, north = boundary_m(0, side) - 2000.0, boundary_m(side, side) + 2000.0
    y = np.arange(south, north + BANK_VERTEX_M, BANK_VERTEX_M)
    phase = rng.uniform(0, 2 * np.pi, 2)
    meander = (400 * (1 - np.cos(2 * np.pi * y / 9000 + phase[0]))
               + 150 * (1 + np.sin(2 * np.pi * y / 2300 + phase[1])))
    x = boundary_m(0, side) - 300.0 - meander
    banks, belts, ports = Features(), Features(), Features()
    start = 0
    while start < len(y) - 1:
        end = min(len(y), start + int(rng.integers(150, 201)))
        bank = np.stack([x[start:end], y[start:end]], axis=1)
        banks.extend([shapely.linestrings(bank)], ["长江岸线"], ["长江"])
        inland = bank[::-1] + np.array([BELT_M, 0.0])
        ring = np.concatenate([bank, inland, bank[:1]])
        belts.extend([shapely.polygons(ring)], ["沿江发展带"], ["沿江"])
        start = end - 1
    for at in np.arange(south + PORT_EVERY_M / 2, north, PORT_EVERY_M):
        i = int(np.searchsorted(y, at))
        ports.extend([shapely.points(x[i] - 60.0, y[i])], [f"{place_name(rng)}港区"],
                     ["港口" if i % 2 else "码头"])
    return banks, belts, ports


def street_boundaries(cells: np.ndarray, zones: np.ndarray, side: int) -> Features:
    """One polygon (several parts) per street, along the grid lines of minor roads: each block
    of STREET_BLOCK × STREET_BLOCK cells goes to the street most of its parcels carry
    (realistic_district: street = STREETS[zone % 6]), an empty block to a neighbour's."""
    blocks = -(-side // STREET_BLOCK)
    block = (cells[:, 1].astype(int) // STREET_BLOCK) * blocks + cells[:, 0].astype(int) \
        // STREET_BLOCK
    votes = np.zeros((blocks * blocks, len(STREETS)), dtype=np.int64)
    np.add.at(votes, (block, zones % len(STREETS)), 1)
    owner = np.where(votes.any(axis=1), votes.argmax(axis=1), -1).reshape(blocks, blocks)
    while (owner < 0).any():  # grow the streets into empty blocks, a block a round
        for shift, axis in ((1, 0), (-1, 0), (1, 1), (-1, 1)):
            moved = np.roll(owner, shift, axis=axis)
            edge = [slice(None)] * 2
            edge[axis] = 0 if shift == 1 else -1
            moved[tuple(edge)] = -1
            owner = np.where((owner < 0) & (moved >= 0), moved, owner)
    col, row = np.meshgrid(np.arange(blocks), np.arange(blocks))
    x0, y0 = boundary_m(col.ravel() * STREET_BLOCK, side), boundary_m(row.ravel() * STREET_BLOCK,
                                                                      side)
    squares = shapely.box(x0, y0, x0 + STREET_BLOCK * CELL_M, y0 + STREET_BLOCK * CELL_M)
    streets = Features()
    for index, name in enumerate(STREETS):
        mine = squares[owner.ravel() == index]
        if len(mine):
            outline = shapely.simplify(shapely.coverage_union_all(mine), 0)  # no collinear
            streets.extend([outline], [name], ["街道"])
    return streets


def parks(occupied: np.ndarray, count: int, rng: np.random.Generator) -> Features:
    """`count` parks on 2×2 blocks of empty cells among parcels, a third with a lake (hole)."""
    side = occupied.shape[0]
    empty = ~occupied[:-1:2, :-1:2] & ~occupied[1::2, :-1:2] & ~occupied[:-1:2, 1::2] \
        & ~occupied[1::2, 1::2]
    around = box_mean(occupied, 8)  # the 8×8 cells around each 2×2 block
    rows_at = np.clip(2 * np.arange(empty.shape[0]) - 3, 0, side - 1)
    cols_at = np.clip(2 * np.arange(empty.shape[1]) - 3, 0, side - 1)
    density = around[np.ix_(rows_at, cols_at)]
    rows, cols = np.nonzero(empty & (density >= 0.35))
    result = Features()
    if len(rows) == 0:
        return result
    picked = rng.choice(len(rows), min(count, len(rows)), replace=False)
    corners = np.stack([cols[picked] * 2 + 1, rows[picked] * 2 + 1], axis=1)
    centres = boundary_m(corners, side)
    n = len(picked)
    vertices = rng.integers(16, 121, n)
    shells = np.empty(n, dtype=object)
    for v in np.unique(vertices):
        at = np.flatnonzero(vertices == v)
        shells[at] = shapely.polygons(star_rings(len(at), int(v), np.full(len(at), 0.72 * CELL_M),
                                                 rng, centres[at]))
    lakes = rng.uniform(0, 1, n) < 1 / 3
    if lakes.any():
        k = int(lakes.sum())
        holes = shapely.linearrings(star_rings(k, 24, np.full(k, 0.25 * CELL_M), rng,
                                               centres[lakes]))
        shells[lakes] = shapely.polygons(shapely.get_exterior_ring(shells[lakes]),
                                         holes=holes[:, None])
    classes = np.array(["公园", "绿地", "广场"])[rng.integers(0, 3, n)]
    result.extend(shells, [f"{place_name(rng)}{c}" for c in classes], classes)
    return result


def box_mean(grid: np.ndarray, size: int) -> np.ndarray:
    """Share of True cells in the size×size box starting at each cell (clipped at the edge)."""
    padded = np.pad(grid.astype(float), ((1, size), (1, size)))
    total = padded.cumsum(0).cumsum(1)
    side_r, side_c = grid.shape
    r, c = np.arange(side_r)[:, None] + 1, np.arange(side_c)[None, :] + 1
    box = (total[r + size - 1, c + size - 1] - total[r - 1, c + size - 1]
           - total[r + size - 1, c - 1] + total[r - 1, c - 1])
    return box / (size * size)


def residential_areas(cells: np.ndarray, zones: np.ndarray, count: int,
                      rng: np.random.Generator) -> Features:
    """`count` residential areas: blocks of 3-7 × 3-7 cells along the cell grid over the
    residential zones' parcels, not overlapping; most with a hole (a school, a kept village)."""
    side = int(cells.max()) + 1
    homes = cells[zones % len(ZONE_USES) == RESIDENTIAL_FAMILY].astype(int)
    taken = np.zeros((side + 8, side + 8), dtype=bool)
    shells, names, classes = [], [], []
    for at in rng.permutation(len(homes))[: count * 3]:
        if len(shells) == count:
            break
        c0, r0 = homes[at]
        w, h = (int(v) for v in rng.integers(3, 8, 2))
        if taken[r0:r0 + h, c0:c0 + w].any() or c0 + w > side or r0 + h > side:
            continue
        taken[r0:r0 + h, c0:c0 + w] = True
        x0, y0 = boundary_m([c0, r0], side)
        x1, y1 = boundary_m([c0 + w, r0 + h], side)
        shells.append(jittered_ring(shapely.box(x0, y0, x1, y1), rng))
        holes = []
        for _ in range(int(rng.choice([0, 1, 1, 2]))):
            hc, hr = c0 + 1 + int(rng.integers(0, w - 2)), r0 + 1 + int(rng.integers(0, h - 2))
            hx, hy = boundary_m([hc, hr], side)
            hole = shapely.box(hx + 12, hy + 12, hx + CELL_M - 12, hy + CELL_M - 12)
            if not any(shapely.intersects(hole, other) for other in holes):
                holes.append(hole)
        shells[-1] = shapely.polygons(shells[-1], holes=[h.exterior for h in holes] or None)
        names.append(f"{place_name(rng)}{rng.choice(['小区', '花园', '新村', '家园'])}")
        classes.append("居住区")
    result = Features()
    result.extend(shells, names, classes)
    return result


def jittered_ring(polygon, rng: np.random.Generator):
    """The exterior of a polygon with vertices every 10-60 m, jittered about a metre."""
    ring = shapely.segmentize(polygon.exterior, float(rng.uniform(10, 60)))
    coords = shapely.get_coordinates(ring)
    coords[1:-1] += rng.normal(0, 0.8, (len(coords) - 2, 2)).clip(-2, 2)
    coords[-1] = coords[0]
    return shapely.linearrings(coords)


def context_layers(count: int, seed: int = 20261207,
                   progress: Progress = quiet) -> dict[str, gpd.GeoDataFrame]:
    """The context layers of the realistic district of `count` parcels and this seed: layer
    name (CONTEXT_LAYERS) → EPSG:4326 frame with columns name, class."""
    cells, zones = zone_cells(count, np.random.default_rng(seed))  # the district's own cells
    rng = np.random.default_rng([seed, 16])
    occupied = occupancy(cells)
    side = occupied.shape[0]
    progress(f"roads over {side:,}×{side:,} cells")
    network = road_network(occupied, max(3, count // 8000), rng)
    progress("river, ports, streets, parks, residential areas")
    banks, belts, ports = river(side, rng)
    layers = {"expressway": network.expressway, "national_road": network.national_road,
              "roads": network.roads, "interchanges": network.interchanges,
              "stations": network.stations, "ports": ports, "riverbank": banks,
              "riverside_belt": belts, "streets": street_boundaries(cells, zones, side),
              "parks": parks(occupied, max(2, count // 1300), rng),
              "residential": residential_areas(cells, zones, max(2, count // 1000), rng)}
    return {name: lonlat_frame(lines) for name, lines in layers.items()}


def lonlat_frame(lines: Features) -> gpd.GeoDataFrame:
    """A layer in district metres as an EPSG:4326 frame (columns name, class)."""
    m_per_deg_lon = M_PER_DEG_LAT * math.cos(math.radians(CENTRE_LONLAT[1]))
    geometries = np.array(lines.geometries, dtype=object)
    coords = shapely.get_coordinates(geometries)
    lonlat = np.round(np.stack([CENTRE_LONLAT[0] + coords[:, 0] / m_per_deg_lon,
                                CENTRE_LONLAT[1] + coords[:, 1] / M_PER_DEG_LAT], axis=1), 7)
    return gpd.GeoDataFrame({"name": lines.names, "class": lines.classes},
                            geometry=shapely.set_coordinates(geometries.copy(), lonlat),
                            crs="EPSG:4326")


def write_context_layers(count: int, path: Path, seed: int = 20261207,
                         progress: Progress = quiet) -> dict[str, int]:
    """Write the context layers as one GeoPackage, a layer per CONTEXT_LAYERS name; returns
    the feature count of each layer."""
    counts = {}
    for name, frame in context_layers(count, seed, progress).items():
        pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG", append=path.exists())
        counts[name] = len(frame)
    return counts


def main(argv: list[str] | None = None) -> int:
    """Write the context layers of a realistic synthetic district."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="parcels of the district (1 or more)")
    parser.add_argument("out", type=Path, help="GeoPackage to write (a layer per kind)")
    parser.add_argument("--seed", type=int, default=20261207, help="the district's seed")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    args.out.unlink(missing_ok=True)
    started = time.perf_counter()
    counts = write_context_layers(args.count, args.out, args.seed, lambda message: print(
        f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True))
    print(f"wrote {sum(counts.values()):,} synthetic context features to {args.out} "
          f"(district of {args.count:,} parcels, seed {args.seed}): "
          + ", ".join(f"{name} {n:,}" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
