"""Adjacent parcels together: pairs and triples of small parcels that touch or lie within a gap
(a lane) of each other and whose areas add up to the wanted range, and their combined outline.

Adjacency is measured in metres in the parcels' distance CRS (domain.context.distance_epsg of
their centre), never in degrees: two parcels are neighbours when shapely's `dwithin` says their
projected outlines are at most `gap_m` apart (0 when they touch), found with one STRtree query.
A triple is three parcels joined by neighbour links (a chain or a triangle).
"""

from dataclasses import dataclass
from functools import cache
from itertools import combinations

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from webapp.domain.context import distance_epsg
from webapp.domain.parcel import Parcel
from webapp.domain.units import m2_to_mu

DEFAULT_GAP_M = 15.0  # a lane between two parcels
MAX_SETS_EXAMINED = 200_000  # bounds the work on a district of many tiny neighbours


@dataclass(frozen=True)
class Layout:
    """Parcels and their outlines projected to one distance CRS (metres)."""

    parcels: tuple[Parcel, ...]
    geometries_m: np.ndarray  # shapely geometries, EPSG:epsg
    epsg: int

    @property
    def areas_mu(self) -> np.ndarray:
        """Each parcel's stored area, in 亩."""
        return np.array([p.area_mu for p in self.parcels], dtype=float)


@dataclass(frozen=True)
class Outline:
    """The combined outline of a group with its gaps closed: lon/lat and its area in m²."""

    geometry: BaseGeometry  # EPSG:4326
    area_m2: float

    @property
    def area_mu(self) -> float:
        """The outline's area in 亩 (the lanes between the parcels included)."""
        return m2_to_mu(self.area_m2)


@cache
def transformers(epsg: int) -> tuple[Transformer, Transformer]:
    """lon/lat → EPSG:epsg and back (x, y order; pyproj's transformers are thread-safe)."""
    return (Transformer.from_crs(4326, epsg, always_xy=True),
            Transformer.from_crs(epsg, 4326, always_xy=True))


def _transform(geometries, transformer: Transformer):
    return shapely.transform(geometries, lambda xy: np.column_stack(
        transformer.transform(xy[:, 0], xy[:, 1])))


def project_parcels(parcels: list[Parcel]) -> Layout:
    """The parcels (lon/lat geometry required) projected to the distance CRS of their centre."""
    geometries = np.array([p.geometry for p in parcels], dtype=object)
    if not parcels:
        return Layout((), geometries, distance_epsg(118.5))
    minx, _, maxx, _ = shapely.total_bounds(geometries)
    epsg = distance_epsg((minx + maxx) / 2)
    return Layout(tuple(parcels), _transform(geometries, transformers(epsg)[0]), epsg)


def neighbour_pairs(geometries_m: np.ndarray, gap_m: float) -> np.ndarray:
    """(i, j) index pairs, i < j, of geometries at most gap_m metres apart, sorted."""
    if len(geometries_m) < 2:
        return np.empty((0, 2), dtype=np.intp)
    tree = shapely.STRtree(geometries_m)
    found = tree.query(geometries_m, predicate="dwithin", distance=gap_m)
    pairs = found.T[found[0] < found[1]]
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]


def _neighbours(pairs: np.ndarray, count: int) -> list[list[int]]:
    linked: list[list[int]] = [[] for _ in range(count)]
    for i, j in pairs.tolist():
        linked[i].append(j)
        linked[j].append(i)
    return linked


def adjacent_sets(areas_mu: np.ndarray, pairs: np.ndarray, low: float,
                  high: float | None) -> list[tuple[int, ...]]:
    """Pairs and connected triples (index tuples, sorted) whose areas add up to low..high 亩,
    pairs first; at most MAX_SETS_EXAMINED sets are looked at."""
    top = float("inf") if high is None else high
    found = [(int(i), int(j)) for i, j in pairs.tolist() if low <= areas_mu[i] + areas_mu[j] <= top]
    triples: set[tuple[int, ...]] = set()
    examined = len(pairs)
    for middle, linked in enumerate(_neighbours(pairs, len(areas_mu))):
        for a, b in combinations(linked, 2):
            examined += 1
            if examined > MAX_SETS_EXAMINED:
                return found + sorted(triples)
            if low <= areas_mu[a] + areas_mu[middle] + areas_mu[b] <= top:
                triples.add(tuple(sorted((a, middle, b))))
    return found + sorted(triples)


def group_outline(layout: Layout, members: tuple[int, ...], gap_m: float) -> Outline:
    """The union of the members with gaps up to gap_m closed (buffered out by gap/2, then in
    by gap/2), as lon/lat and its area in m² in the distance CRS."""
    parts = layout.geometries_m[list(members)]
    half = gap_m / 2
    grown = shapely.union_all(shapely.buffer(parts, half, join_style="mitre"))
    closed: BaseGeometry = grown.buffer(-half, join_style="mitre")
    if closed.is_empty:  # gap 0 or a rounding sliver: the plain union
        closed = shapely.union_all(parts)
    return Outline(_transform(closed, transformers(layout.epsg)[1]), float(closed.area))
