"""Distances from parcels to a context layer's nearest feature in a GeoPackage store: shapely
STRtrees of the layer's projected geometry (geom_m, metres in its distance CRS), built once per
layer and generation and kept in memory, so repeated selections pay nothing to rebuild them.

A road of a hundred vertices has an envelope that meets many parcels far from the road itself,
and each nearest-neighbour candidate costs a distance over all its segments: with whole roads
in the tree, 3,000 parcels against 900 roads took 4 s. So the tree holds short pieces instead
(runs of PIECE_SEGMENTS segments of each line and polygon outline, each point): the distance to
a feature is the least distance to its pieces (6× faster, about 0.1 s of CPU then). A parcel
inside a polygon, which its outline does not reach, is found by a second tree of the whole
polygons (distance 0).
"""

import json
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from webapp.domain.context import Nearest
from webapp.store.context_features import projected
from webapp.store.geopackage.blob import wkb_from_gpkg_blob
from webapp.store.tables import CONTEXT_FEATURES as FEATURES
from webapp.store.tables import PARCELS

# Segments per piece of a line. One per piece answered 3,000 parcels against 900 roads in half
# the time (50 ms CPU, against 100) but held 4× the pieces: 390,000 for the roads of a 10^6-parcel
# district, 160 MB at build time in every server process. Longer pieces are slower: 8 and 15
# segments took 1.2x and 1.3x the CPU of 4 over all layers of the 10^5 benchmark district.
PIECE_SEGMENTS = 4
POINT_TYPES, LINE_TYPES, POLYGON_TYPES = (0, 4), (1, 5), (3, 6)  # shapely type ids
# Pieces a parcel is measured against at most in nearest_pieces before the tree's own search
# is used for it instead (a parcel amid a dense layer, or at the centre of a round outline).
NEAREST_PAIRS_LIMIT = 64


def line_pieces(lines: np.ndarray, segments: int = PIECE_SEGMENTS
                ) -> tuple[np.ndarray, np.ndarray]:
    """Each part of the (multi-)lines cut into runs of `segments` segments (consecutive runs
    share a vertex), and the index in `lines` of the line each piece comes from."""
    parts, line_of_part = shapely.get_parts(lines, return_index=True)
    coords, part_of = shapely.get_coordinates(parts, return_index=True)
    counts = np.bincount(part_of, minlength=len(parts))
    position = np.arange(len(coords)) - (np.cumsum(counts) - counts)[part_of]
    count = counts[part_of]
    pieces_of_part = np.maximum((counts - 2) // segments + 1, 1)
    first_piece = (np.cumsum(pieces_of_part) - pieces_of_part)[part_of]
    piece = first_piece + np.minimum(position, np.maximum(count - 2, 0)) // segments
    shared = (position % segments == 0) & (position > 0) & (position < count - 1)  # also ends
    piece = np.concatenate((piece, piece[shared] - 1))  # the run before it
    position = np.concatenate((position, position[shared]))
    order = np.lexsort((position, piece))
    pieces = shapely.linestrings(np.concatenate((coords, coords[shared]))[order],
                                 indices=piece[order])
    return np.asarray(pieces, dtype=object), np.repeat(line_of_part, pieces_of_part)


def outline_pieces(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points, line pieces and polygon-outline pieces of the geometries, and the index of the
    geometry each comes from."""
    types = shapely.get_type_id(geometries)
    pieces, owners = [], []
    for family, cut in ((POINT_TYPES, _points), (LINE_TYPES, line_pieces),
                        (POLYGON_TYPES, _outline)):
        where = np.flatnonzero(np.isin(types, family))
        if len(where):
            found, owner = cut(geometries[where])
            pieces.append(found)
            owners.append(where[owner])
    if not pieces:
        return np.array([], dtype=object), np.array([], dtype=np.int64)
    return np.concatenate(pieces), np.concatenate(owners)


def _points(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return shapely.get_parts(points, return_index=True)


def _outline(polygons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return line_pieces(shapely.boundary(polygons))


@dataclass(frozen=True)
class NearestIndex:
    """One layer's features in its distance CRS: trees of their pieces and of their polygons,
    and each feature's id and name."""

    epsg: int
    pieces: shapely.STRtree
    piece_owner: np.ndarray
    areas: shapely.STRtree  # of prepared polygons
    area_owner: np.ndarray
    ids: np.ndarray
    names: list[str | None]

    @classmethod
    def of(cls, epsg: int, ids: np.ndarray, names: list[str | None],
           geometries_m: np.ndarray) -> "NearestIndex":
        """The index of features given in their distance CRS."""
        pieces, piece_owner = outline_pieces(geometries_m)
        areas = np.flatnonzero(np.isin(shapely.get_type_id(geometries_m), POLYGON_TYPES))
        polygons = geometries_m[areas]
        shapely.prepare(polygons)  # indexed: 6x faster on big polygons (street blocks)
        return cls(epsg, shapely.STRtree(pieces), piece_owner,
                   shapely.STRtree(polygons), areas, ids, names)

    def nearest(self, parcel_ids: Sequence[int], parcels_4326: np.ndarray) -> dict[int, Nearest]:
        """The nearest feature to each parcel (lon/lat geometry) and its distance, metres."""
        if not len(parcel_ids) or not len(self.ids):
            return {}
        parcels_m = projected(parcels_4326, self.epsg)
        feature = np.full(len(parcel_ids), -1, dtype=np.int64)
        metres = np.zeros(len(parcel_ids))
        inside, area = self.areas.query(parcels_m)  # envelopes, then the prepared polygons
        meets = shapely.intersects(self.areas.geometries[area], parcels_m[inside])
        inside, area = inside[meets], area[meets]
        if len(inside):  # the lowest-numbered polygon holding or touching the parcel: at 0 m
            order = np.argsort(-self.area_owner[area], kind="stable")  # last write wins
            feature[inside[order]] = self.area_owner[area[order]]
        outside = np.flatnonzero(feature < 0)
        if len(outside) and len(self.piece_owner):
            piece, metres[outside] = nearest_pieces(self.pieces, parcels_m[outside])
            feature[outside] = self.piece_owner[piece]
        return {int(parcel_ids[p]): Nearest(float(metres[p]), int(self.ids[f]), self.names[f])
                for p, f in enumerate(feature.tolist()) if f >= 0}


def nearest_pieces(tree: shapely.STRtree, parcels_m: np.ndarray,
                   limit: int = NEAREST_PAIRS_LIMIT) -> tuple[np.ndarray, np.ndarray]:
    """For each parcel (non-empty, projected), the index in the tree of its nearest piece and
    the distance to it, exact.

    The tree's own nearest search on polygons measures each parcel against every piece whose
    box it reaches while searching (40-60 µs a parcel at 10^6). Searching from a point is
    cheap, and bounds the answer: with c the centre of a parcel's box and r the farthest
    vertex from it, the piece nearest to c lies at some exact distance u from the parcel,
    and any piece nearer than u to the parcel lies within u + r of c. The parcel is measured
    against those pieces alone (2-7 a parcel in the benchmark district); a parcel with more
    than `limit` of them falls back to the tree's own search.
    """
    coords, owner = shapely.get_coordinates(parcels_m, return_index=True)
    box = shapely.bounds(parcels_m)
    centre = (box[:, :2] + box[:, 2:]) / 2
    reach = np.hypot(*(coords - centre[owner]).T)
    radius = np.maximum.reduceat(reach, np.searchsorted(owner, np.arange(len(parcels_m))))
    centres = shapely.points(centre)
    first = tree.query_nearest(centres, all_matches=False)[1]  # one piece a parcel, in order
    bound = shapely.distance(parcels_m, tree.geometries[first])
    slack = 1e-6 * (1 + bound + radius)  # rounding must not leave the nearest piece out
    parcel, piece = tree.query(centres, predicate="dwithin", distance=bound + radius + slack)
    crowded = np.bincount(parcel, minlength=len(parcels_m)) > limit
    keep = ~crowded[parcel]
    parcel, piece = parcel[keep], piece[keep]
    distance = shapely.distance(parcels_m[parcel], tree.geometries[piece])
    order = np.lexsort((piece, distance, parcel))  # per parcel, nearest first (ties: lowest)
    parcel, piece, distance = parcel[order], piece[order], distance[order]
    firsts = np.flatnonzero(np.r_[True, parcel[1:] != parcel[:-1]][:len(parcel)])
    best_piece, best = first.copy(), bound.copy()
    best_piece[parcel[firsts]], best[parcel[firsts]] = piece[firsts], distance[firsts]
    if crowded.any():
        where = np.flatnonzero(crowded)
        (found, pieces), metres = tree.query_nearest(parcels_m[where], return_distance=True,
                                                     all_matches=False)
        best_piece[where[found]], best[where[found]] = pieces, metres
    return best_piece, best


def build_index(db: sqlite3.Connection, layer: str, epsg: int) -> NearestIndex:
    """The index of a layer from its stored projected geometry."""
    rows = db.execute(f"SELECT fid, name, geom_m FROM {FEATURES} WHERE layer = ? ORDER BY fid",
                      (layer,)).fetchall()
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    geometries = shapely.from_wkb([row[2] for row in rows])
    return NearestIndex.of(epsg, ids, [row[1] for row in rows], geometries)


def parcel_geometries(db: sqlite3.Connection, parcel_ids: Sequence[int]
                      ) -> tuple[list[int], np.ndarray]:
    """The stored parcels among the ids (published or not) with their lon/lat geometry, read
    in one statement (the ids as one JSON array parameter); parcels without geometry are
    left out."""
    wanted = sorted({int(i) for i in parcel_ids if -2**63 <= int(i) < 2**63})
    rows = db.execute(f"SELECT fid, geom FROM {PARCELS} WHERE fid IN "
                      "(SELECT value FROM json_each(?)) AND geom IS NOT NULL ORDER BY fid",
                      (json.dumps(wanted),)).fetchall()
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    geometries = (shapely.from_wkb([wkb_from_gpkg_blob(row[1]) for row in rows]) if rows
                  else np.array([], dtype=object))
    present = ~shapely.is_empty(geometries)
    return ids[present].tolist(), geometries[present]


class NearestIndexes:
    """The index of each layer at the generation it was built for (one per layer name)."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[int, NearestIndex]] = {}
        self._lock = threading.Lock()
        self.builds = 0  # indexes this object built (for tests and benchmarks)

    def get(self, db: sqlite3.Connection, layer: str, generation: int,
            epsg: int) -> NearestIndex:
        """The layer's index for this generation, built from db (the caller's snapshot) when
        none is kept; an index of an older generation is replaced."""
        with self._lock:
            kept = self._kept.get(layer)
        if kept is not None and kept[0] == generation:
            return kept[1]
        index = build_index(db, layer, epsg)
        with self._lock:
            self._kept[layer] = (generation, index)
            self.builds += 1
        return index

    def forget(self, layer: str) -> None:
        """Drop a layer's index (after this process deleted or replaced the layer)."""
        with self._lock:
            self._kept.pop(layer, None)
