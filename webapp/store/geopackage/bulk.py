"""Write every parcel of an existing GeoPackage store anew, inside the caller's transaction.

A replace-all import keeps the store file (accounts, audit trail and other processes' open
connections stay valid) and rewrites the parcel table in one write transaction. Row by row, the
GeoPackage triggers would update the R-tree and the feature count for every deleted and inserted
parcel and each secondary index would grow one entry at a time: at 10^6 parcels that is most of
the import. So the triggers and indexes are set aside for the rewrite, the table is emptied at
once, the R-tree is filled from bounds computed in bulk, and the indexes are built afresh after
the rows are in. DDL is transactional in SQLite: a failed import rolls all of it back.
"""

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from webapp.store.geopackage.blob import gpkg_blobs_from_geometries
from webapp.store.tables import PARCEL_COLUMNS as COLUMNS
from webapp.store.tables import PARCELS as LAYER

RTREE = f"rtree_{LAYER}_geom"
INSERT_CHUNK = 50_000  # parcels turned into rows of Python values at once


def extra_json(extra) -> list[str]:
    """The `extra` column as stored: canonical JSON text of each dict (keys sorted, as
    upsert_plan.canonical_json; '{}' when empty, without encoding each of a million empty
    dicts)."""
    return ["{}" if not e else json.dumps(e, ensure_ascii=False, sort_keys=True) for e in extra]


@contextmanager
def triggers_and_indexes_set_aside(db: sqlite3.Connection) -> Iterator[None]:
    """Drop the parcel table's triggers and secondary indexes, and create them again (as they
    were) after the block; inside a transaction, so an error rolls the drops back too."""
    saved = db.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND "
                       "type IN ('trigger', 'index') AND sql IS NOT NULL", (LAYER,)).fetchall()
    for kind, name, _ in saved:
        db.execute(f'DROP {kind.upper()} "{name}"')
    yield
    for kind in ("index", "trigger"):  # indexes built in bulk, then the per-row triggers
        for saved_kind, _, sql in saved:
            if saved_kind == kind:
                db.execute(sql)


def rewrite_parcels(db: sqlite3.Connection, parcels: gpd.GeoDataFrame,
                    kept_versions: str | None = None) -> None:
    """Replace every row of the parcel table, its R-tree and its feature count with the prepared
    parcels (ids kept); see insert_parcels for kept_versions."""
    with triggers_and_indexes_set_aside(db):
        db.execute(f"DELETE FROM {LAYER}")  # without triggers: emptied at once
        empty_rtree(db)
        insert_parcels(db, parcels, kept_versions)
        fill_rtree(db, parcels)
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'gpkg_ogr_contents'").fetchone():
        db.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = ?",
                   (len(parcels), LAYER))


def empty_rtree(db: sqlite3.Connection) -> None:
    """Empty the R-tree by creating it anew as it was declared: DELETE takes its entries out one
    by one, rebalancing the tree each time (10 s of a 10^6-parcel import)."""
    declared = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (RTREE,)).fetchone()[0]
    db.execute(f'DROP TABLE "{RTREE}"')
    db.execute(declared)


def fill_rtree(db: sqlite3.Connection, parcels: gpd.GeoDataFrame) -> None:
    """The R-tree entries of the parcels, as the GeoPackage insert trigger makes them (none for
    a missing or empty geometry), inserted in Z-order of their centres: neighbours go into
    nodes SQLite has just read, so a file in any order loads as fast as a sorted one (10^6
    parcels in random order: 18 s -> 8 s)."""
    geometries = parcels.geometry.to_numpy()
    present = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    bounds = shapely.bounds(geometries[present])  # minx, miny, maxx, maxy
    ids = parcels["id"].to_numpy()[present].astype(np.int64)
    centres = (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
    order = np.argsort(z_order(*centres), kind="stable")
    ids, boxes = ids[order], bounds[order][:, [0, 2, 1, 3]]  # minx, maxx, miny, maxy
    for start in range(0, len(ids), INSERT_CHUNK):  # Python values for one chunk at a time
        end = start + INSERT_CHUNK  # (10^6 rows at once held 170 MB more at the import's peak)
        db.executemany(f"INSERT INTO {RTREE} (id, minx, maxx, miny, maxy) "
                       "VALUES (?, ?, ?, ?, ?)",
                       zip(ids[start:end].tolist(), *boxes[start:end].T.tolist(), strict=True))


def z_order(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The Morton (Z-order) code of each point on a 2^16 × 2^16 grid over their extent."""
    def cells(values: np.ndarray) -> np.ndarray:
        span = np.ptp(values) if len(values) else 0.0
        scaled = (values - values.min()) / span * 65535 if span else np.zeros(len(values))
        return scaled.astype(np.uint64)

    def spread(v: np.ndarray) -> np.ndarray:  # bit i of v to bit 2i
        for shift, mask in ((8, 0x00FF00FF), (4, 0x0F0F0F0F), (2, 0x33333333), (1, 0x55555555)):
            v = (v | (v << np.uint64(shift))) & np.uint64(mask)
        return v

    return spread(cells(x)) | (spread(cells(y)) << np.uint64(1))


def insert_parcels(db: sqlite3.Connection, parcels: gpd.GeoDataFrame,
                   kept_versions: str | None = None) -> None:
    """Insert prepared parcels (ids kept) through an open write transaction, INSERT_CHUNK at a
    time (a million rows of Python values at once took gigabytes). kept_versions names a table
    of (code, version, updated_at): parcels found there keep that version and time."""
    sql = (f"INSERT INTO {LAYER} (fid, {', '.join(COLUMNS)}, geom) "
           f"VALUES ({', '.join('?' * (len(COLUMNS) + 2))})")
    for start in range(0, len(parcels), INSERT_CHUNK):
        db.executemany(sql, _insert_rows(db, parcels.iloc[start:start + INSERT_CHUNK],
                                         kept_versions))


def _insert_rows(db: sqlite3.Connection, chunk: gpd.GeoDataFrame,
                 kept_versions: str | None) -> list[tuple]:
    frame = chunk[["id", *COLUMNS]].copy()
    frame["extra"] = extra_json(frame["extra"])
    frame["published"] = frame["published"].astype("int64")
    if kept_versions is not None:
        kept = pd.DataFrame(db.execute(
            f"SELECT code, version, updated_at FROM {kept_versions} WHERE code IN "
            "(SELECT value FROM json_each(?))", (json.dumps(frame["code"].tolist()),)).fetchall(),
            columns=["code", "version", "updated_at"]).set_index("code")
        stayed = frame["code"].isin(kept.index)
        frame = frame.astype({"version": object, "updated_at": object})
        frame.loc[stayed, "version"] = frame.loc[stayed, "code"].map(kept["version"])
        frame.loc[stayed, "updated_at"] = frame.loc[stayed, "code"].map(kept["updated_at"])
    blobs = gpkg_blobs_from_geometries(chunk.geometry.to_numpy())
    rows = frame.astype(object).where(frame.notna(), None)
    return [(*row, blob) for row, blob in zip(rows.itertuples(index=False, name=None), blobs,
                                                strict=True)]
