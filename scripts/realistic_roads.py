"""The SYNTHETIC road network of a realistic district, for scripts/realistic_context.py.

Roads run along the district's cell grid (scripts/realistic_district.py: one parcel inside each
120 m cell, never crossing its border), so no road crosses a parcel: main roads every MAIN
cells, minor roads halfway between them where parcels are dense, two expressways between the
grid lines with interchanges where they cross a main road, and two national roads (G205,
G328) on main-road lines. Every line has 8-200 vertices (surveyed roads carry many), jittered
by about a metre. Everything is in district metres (origin at the district centre); names are
invented.
"""

from dataclasses import dataclass, field

import numpy as np
import shapely
from realistic_district import CELL_M

MAIN = 16  # main roads every 16 cells (1.92 km)
MINOR = MAIN // 2  # minor roads halfway between main roads, where parcels are dense
INTERCHANGE_EVERY = 3  # an interchange at every third main road an expressway crosses
MAIN_KEEP, MINOR_KEEP = 0.3, 0.85  # least share of occupied cells beside a kept road piece
MAX_VERTICES = 200
NAME_CHARS = ("金家庄塘西江东解放湖桃源花山濮采石慈霍里雨佳向当涂博望丹阳姑孰臼太白黄池"
              "银乌溪护河年陡陇")


@dataclass
class Features:
    """Features of one layer (district metres) with their names and classes."""

    geometries: list = field(default_factory=list)
    names: list = field(default_factory=list)
    classes: list = field(default_factory=list)

    def extend(self, geometries, names, classes) -> None:
        """Add geometries with their names and classes."""
        self.geometries += list(geometries)
        self.names += list(names)
        self.classes += list(classes)


@dataclass
class RoadNetwork:
    """Every road layer of a district, and its interchanges (points)."""

    expressway: Features
    national_road: Features
    roads: Features
    interchanges: Features
    stations: Features


def boundary_m(index, side: int):
    """District metres of the grid line before cell `index` (column or row)."""
    return (np.asarray(index, dtype=float) - 0.5 - side / 2) * CELL_M


def place_name(rng: np.random.Generator) -> str:
    """An invented two-character place name."""
    return "".join(rng.choice(list(NAME_CHARS), 2))


def densified_lines(starts: np.ndarray, ends: np.ndarray, vertices: np.ndarray,
                    rng: np.random.Generator, jitter_m: float = 0.8) -> np.ndarray:
    """Straight lines from starts to ends (n, 2) with `vertices` vertices each, the inner ones
    jittered by about jitter_m (ends kept exact, so roads meet at crossings)."""
    count = len(starts)
    steps = np.maximum(vertices - 1, 1)
    index = np.repeat(np.arange(count), steps + 1)
    position = np.arange(len(index)) - np.repeat(np.cumsum(steps + 1) - (steps + 1), steps + 1)
    t = position / np.repeat(steps, steps + 1)
    coords = starts[index] + t[:, None] * (ends - starts)[index]
    inner = (position > 0) & (position < np.repeat(steps, steps + 1))
    coords[inner] += rng.normal(0, jitter_m, (int(inner.sum()), 2)).clip(-2.5, 2.5)
    return shapely.linestrings(coords, indices=index)


def vertex_counts(n: int, cells: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Vertices of n road pieces `cells` long: at least one per cell border and 8, many more
    sometimes, at most MAX_VERTICES."""
    extra = rng.geometric(0.05, n) - 1
    return np.clip(np.maximum(cells + 1, 8) + extra, 8, MAX_VERTICES)


def line_pieces(line: np.ndarray, lengths: tuple[int, int], keep: float,
                rng: np.random.Generator) -> list[tuple[int, int]]:
    """(first, end) cell ranges of the pieces of one grid line to draw: the line cut into
    pieces of random length, kept where at least `keep` of the cells beside them hold parcels.
    `line` is the share of occupied cells beside the line, per cell along it."""
    pieces, start = [], 0
    while start < len(line):
        end = min(len(line), start + int(rng.integers(lengths[0], lengths[1] + 1)))
        if end - start >= 2 and line[start:end].mean() >= keep:
            pieces.append((start, end))
        start = end
    return pieces


def grid_roads(occupied: np.ndarray, lines: list[int], lengths: tuple[int, int], keep: float,
               rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """(starts, ends, line index) in cells of the road pieces along the vertical grid lines
    `lines` (transpose `occupied` for horizontal ones)."""
    side = occupied.shape[0]
    starts, ends, owners = [], [], []
    for k in lines:
        beside = (occupied[:, max(k - 1, 0)].astype(float) + occupied[:, min(k, side - 1)]) / 2
        for first, end in line_pieces(beside, lengths, keep, rng):
            starts.append((k, first))
            ends.append((k, end))
            owners.append(k)
    return np.array(starts, dtype=float).reshape(-1, 2), np.array(ends, dtype=float).reshape(
        -1, 2), owners


def _to_metres(cells_xy: np.ndarray, side: int) -> np.ndarray:
    return boundary_m(cells_xy, side)


def street_grid(occupied: np.ndarray, skip: dict[bool, int],
                rng: np.random.Generator) -> Features:
    """Main and minor roads in both directions; not on the line a national road takes
    (skip: vertical or not → its grid line)."""
    side = occupied.shape[0]
    roads = Features()
    line_names = {k: place_name(rng) for k in range(0, side + 1, MINOR)}
    for transposed in (False, True):
        grid = occupied.T if transposed else occupied
        main = [k for k in range(MAIN, side, MAIN) if k != skip.get(not transposed)]
        minor = [k for k in range(MINOR, side, MINOR) if k % MAIN]
        for lines, lengths, keep, klass in ((main, (20, 60), MAIN_KEEP, "主干路"),
                                            (minor, (8, 24), MINOR_KEEP, None)):
            starts, ends, owners = grid_roads(grid, lines, lengths, keep, rng)
            if transposed:
                starts, ends = starts[:, ::-1], ends[:, ::-1]
            cells = np.abs(ends - starts).sum(axis=1).astype(int)
            geometries = densified_lines(_to_metres(starts, side), _to_metres(ends, side),
                                         vertex_counts(len(cells), cells, rng), rng)
            suffix = "路" if transposed else "街"
            names = [f"{line_names[k]}{suffix}" for k in owners]
            classes = [klass or ("次干路" if k % (2 * MAIN) == MINOR else "支路") for k in owners]
            roads.extend(geometries, names, classes)
    return roads


def expressways(occupied: np.ndarray, rng: np.random.Generator) -> tuple[Features, Features]:
    """(expressway pieces, interchanges) of two expressways, one east-west,
    one north-south, between grid lines, cut at their interchanges."""
    side = occupied.shape[0]
    pieces, interchanges = Features(), Features()
    specs = ((0.45, False, "G4211", "宁芜高速"), (0.62, True, "S24", "常合高速"))
    first = True
    for share, vertical, code, title in specs:
        k = min(round(side * share / MAIN) * MAIN + MAIN // 2 + 2, side - 1)
        stops = [0, *range(MAIN * INTERCHANGE_EVERY, side, MAIN * INTERCHANGE_EVERY), side]
        stops = sorted(set(stops))
        along = np.array(stops, dtype=float)
        a, b = along[:-1], along[1:]
        fixed = np.full(len(a), float(k))
        starts = np.stack([fixed, a] if vertical else [a, fixed], axis=1)
        ends = np.stack([fixed, b] if vertical else [b, fixed], axis=1)
        cells = (b - a).astype(int)
        vertices = np.clip(cells * 2 + rng.integers(0, 60, len(a)), 8, MAX_VERTICES)
        pieces.extend(densified_lines(_to_metres(starts, side), _to_metres(ends, side),
                                      vertices, rng, jitter_m=0.5),
                      [title] * len(a), [code] * len(a))
        for stop in stops[1:-1]:
            xy = _to_metres(np.array([k, stop] if vertical else [stop, k], dtype=float), side)
            name = "马鞍山东互通" if first else f"{place_name(rng)}互通"
            first = False
            interchanges.extend([shapely.points(xy)], [name], ["枢纽" if stop % 5 == 0
                                                                else "互通"])
    return pieces, interchanges


def national_roads(occupied: np.ndarray,
                   rng: np.random.Generator) -> tuple[Features, dict[bool, int]]:
    """G205 (north-south) and G328 (east-west) on main-road lines, in pieces of 20-60 cells."""
    side = occupied.shape[0]
    roads, taken = Features(), {}
    for share, vertical, code in ((0.3, True, "G205"), (0.7, False, "G328")):
        k = max(MAIN, min(round(side * share / MAIN) * MAIN, side - 1))
        taken[vertical] = k
        cuts = np.cumsum(rng.integers(20, 61, side // 20 + 2))
        along = np.unique(np.concatenate([[0], cuts[cuts < side], [side]])).astype(float)
        a, b = along[:-1], along[1:]
        fixed = np.full(len(a), float(k))
        starts = np.stack([fixed, a] if vertical else [a, fixed], axis=1)
        ends = np.stack([fixed, b] if vertical else [b, fixed], axis=1)
        vertices = np.clip(((b - a) * rng.uniform(1.5, 3.5, len(a))).astype(int), 8,
                           MAX_VERTICES)
        roads.extend(densified_lines(_to_metres(starts, side), _to_metres(ends, side),
                                     vertices, rng), [f"{code}国道"] * len(a), [code] * len(a))
    return roads, taken


def stations(occupied: np.ndarray, count: int, rng: np.random.Generator) -> Features:
    """`count` stations at main-road crossings among dense parcels."""
    side = occupied.shape[0]
    crossings = np.array([(c, r) for c in range(MAIN, side, MAIN) for r in range(MAIN, side, MAIN)])
    points = Features()
    if len(crossings) == 0:
        return points
    near = np.array([occupied[max(r - 4, 0):r + 4, max(c - 4, 0):c + 4].mean()
                     for c, r in crossings])
    weights = near + 1e-6
    picked = rng.choice(len(crossings), min(count, len(crossings)), replace=False,
                        p=weights / weights.sum())
    for n, i in enumerate(picked):
        klass = "铁路客运站" if n % 10 == 0 else ("长途客运站" if n % 3 == 0 else "公交枢纽")
        xy = _to_metres(crossings[i].astype(float), side)
        points.extend([shapely.points(xy)], [f"{place_name(rng)}站"], [klass])
    return points


def road_network(occupied: np.ndarray, station_count: int,
                 rng: np.random.Generator) -> RoadNetwork:
    """Every road layer of a district whose occupied cells are `occupied` (row, column)."""
    expressway, interchanges = expressways(occupied, rng)
    national, taken = national_roads(occupied, rng)
    roads = street_grid(occupied, taken, rng)
    return RoadNetwork(expressway, national, roads, interchanges,
                       stations(occupied, station_count, rng))
