"""Find parcels of one file with the same shape (within a tolerance) under different codes: a
copied row, or a parcel digitised twice. Flagged with a warning, or rejected on request."""

from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from webapp.importing.report import REJECTED, ImportReport

TOLERANCE_M = 1.0  # corners of the two shapes' boxes about this close, metres on the ground
MIN_OVERLAP = 0.99  # and intersection / union of their areas at least this (unitless)
M_PER_DEG_LAT = 111_320.0


def _candidate_pairs(bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(earlier, later) index pairs whose box corners fall in the same cells of a grid twice
    TOLERANCE_M wide, tried at two grid offsets (pairs closer than TOLERANCE_M meet in one of
    them unless their corners straddle lines of both grids); hashing, no spatial index."""
    latitude = float(np.median(bounds[:, 1]))
    cell_lat = 2 * TOLERANCE_M / M_PER_DEG_LAT
    cell_lon = cell_lat / max(np.cos(np.radians(latitude)), 1e-6)
    cells = np.array([cell_lon, cell_lat, cell_lon, cell_lat])
    earlier, later = [], []
    for offset in (0.0, 0.5):
        keys = pd.DataFrame(np.floor(bounds / cells + offset).astype(np.int64))
        shared = keys.duplicated(keep=False).to_numpy()
        rows = np.flatnonzero(shared)
        if not len(rows):
            continue
        groups = keys.iloc[rows].groupby(list(keys.columns), sort=False).ngroup().to_numpy()
        first = pd.Series(rows).groupby(groups).transform("min").to_numpy()
        keep = first != rows
        earlier.append(first[keep])
        later.append(rows[keep])
    if not earlier:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    pairs = np.unique(np.column_stack([np.concatenate(earlier), np.concatenate(later)]), axis=0)
    return pairs[:, 0], pairs[:, 1]


def find_duplicate_geometries(geometries: np.ndarray) -> np.ndarray:
    """Pairs (earlier, later) of indexes of lon/lat polygons whose box corners lie within
    about TOLERANCE_M of each other and whose areas overlap by MIN_OVERLAP (intersection over
    union); an (n, 2) integer array ordered by the later index."""
    if len(geometries) < 2:
        return np.empty((0, 2), dtype=np.intp)
    earlier, later = _candidate_pairs(shapely.bounds(geometries))
    if len(later):
        a, b = geometries[earlier], geometries[later]
        union = shapely.area(shapely.union(a, b))
        shared = shapely.area(shapely.intersection(a, b))
        same = shared >= MIN_OVERLAP * np.maximum(union, np.finfo(float).tiny)
        earlier, later = earlier[same], later[same]
    order = np.lexsort((earlier, later))
    return np.column_stack([earlier[order], later[order]]).astype(np.intp)


def flag_duplicate_geometries(parcels: gpd.GeoDataFrame, report: ImportReport,
                              reject: bool) -> gpd.GeoDataFrame:
    """Note each parcel whose shape repeats an earlier parcel of another code (its row in the
    report gets a warning, or is rejected and dropped when `reject`); the parcels to write."""
    pairs = find_duplicate_geometries(parcels.geometry.to_numpy())
    if not len(pairs):
        return parcels
    codes = parcels["code"].to_numpy()
    pairs = pairs[codes[pairs[:, 0]] != codes[pairs[:, 1]]]
    kept = [i for i, r in enumerate(report.rows) if r.outcome != REJECTED]  # parcel → outcome
    flagged: set[int] = set()
    for earlier, later in pairs.tolist():
        if later in flagged:  # the first earlier match is the one named
            continue
        flagged.add(later)
        first = report.rows[kept[earlier]]
        note = f"duplicate geometry: same shape as “{first.code}” (row {first.row})"
        outcome = report.rows[kept[later]]
        message = note if reject else "; ".join(filter(None, [outcome.message, note]))
        report.rows[kept[later]] = replace(outcome, outcome=REJECTED if reject
                                           else outcome.outcome, message=message)
    dropped = flagged if reject else set()
    if not dropped:
        return parcels
    frame = parcels.drop(index=parcels.index[sorted(dropped)]).reset_index(drop=True)
    frame["id"] = range(1, len(frame) + 1)
    return frame
