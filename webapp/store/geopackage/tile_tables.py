"""The tile tables of a GeoPackage store: band geometry prepared at load time, the tile cache's
rows and the generation counter, kept in step with every parcel write.

Both live in the store file, so every server process shares them and an edit drops the tiles it
touches in its own transaction. Tables:
- landgis_tile_geom: per parcel and zoom band, Web Mercator geometry as WKB (see
  webapp.tiles.projected); tiles find parcels through the GeoPackage R-tree.
- landgis_tile_cache: encoded tiles by z, x, y and filter.
- landgis_tile_state: a generation counter bumped by every parcel write; a tile computed from an
  older generation is not cached, so no reader can put back a tile an edit just dropped.
"""

import logging
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from itertools import repeat

import geopandas as gpd
import numpy as np
import shapely

from webapp.store.cache_keys import CacheLimits
from webapp.store.geopackage.blob import geometry_from_gpkg_blob
from webapp.store.geopackage.cache_bounds import (
    TOTALS,
    cache_totals,
    has_totals,
    make_room,
    totals_schema,
)
from webapp.store.geopackage.registry import register_tables, schema_has
from webapp.store.tables import PARCELS as LAYER
from webapp.tiles.mvt import BUFFER_FRACTION
from webapp.tiles.projected import BAND_MAX_ZOOM, WORLD_M, mercator_geometries

logger = logging.getLogger(__name__)

TILE_GEOM = "landgis_tile_geom"
TILE_CACHE = "landgis_tile_cache"
TILE_STATE = "landgis_tile_state"
EXACT_BAND = 2
DATA_TYPE = "landgis_tiles"
EXTENSION = "landgis_tile_tables"
WRITE_CHUNK = 50_000  # parcels projected and simplified at once at load time
SQL_CHUNK = 5000  # parcel ids per IN (...) list (SQLite limits bound parameters)
EXACT_DROP_LIMIT = 5000  # more changed parcels than this drop the whole tile cache
SCHEMA = (
    f"CREATE TABLE IF NOT EXISTS {TILE_GEOM} (band INTEGER NOT NULL, parcel_id INTEGER NOT NULL,"
    " wkb BLOB NOT NULL, PRIMARY KEY (band, parcel_id)) WITHOUT ROWID",
    f"CREATE TABLE IF NOT EXISTS {TILE_CACHE} (z INTEGER NOT NULL, x INTEGER NOT NULL, "
    "y INTEGER NOT NULL, filter_key TEXT NOT NULL, data BLOB NOT NULL, "
    "PRIMARY KEY (z, x, y, filter_key)) WITHOUT ROWID",
    f"CREATE TABLE IF NOT EXISTS {TILE_STATE} (id INTEGER PRIMARY KEY CHECK (id = 1), "
    "generation INTEGER NOT NULL)",
    f"INSERT OR IGNORE INTO {TILE_STATE} (id, generation) VALUES (1, 0)",
)


def has_tile_tables(db: sqlite3.Connection) -> bool:
    """Whether the store file holds the tile tables (stores made before them do not)."""
    return schema_has(db, TILE_STATE)


def band_rows(ids: np.ndarray, geometries_4326: np.ndarray) -> list[tuple[int, list, list]]:
    """(band, parcel ids, WKB) for each band of some parcels; parcels without geometry have
    no band rows."""
    rows = []
    for band, geometries in enumerate(mercator_geometries(geometries_4326)):
        blobs = shapely.to_wkb(geometries)
        stored = np.array([blob is not None for blob in blobs], dtype=bool)
        rows.append((band, ids[stored].tolist(), blobs[stored].tolist()))
    return rows


def computed_one_ahead(function, argument_lists: Iterator[tuple]) -> Iterator:
    """function(*arguments) for each argument list, in order; a worker thread computes the
    next result while the caller uses the current one."""
    with ThreadPoolExecutor(max_workers=1) as worker:
        pending = None
        for arguments in argument_lists:
            following = worker.submit(function, *arguments)
            if pending is not None:
                yield pending.result()
            pending = following
        if pending is not None:
            yield pending.result()


def write_tile_geometry(db: sqlite3.Connection, ids, geometries_4326,
                        replace: bool = True) -> None:
    """(Re)write the band geometry of the given parcels (lon/lat in, Web Mercator stored), in
    chunks so a million parcels need little memory; replace=False when none is stored yet.

    The next chunk is projected and simplified (shapely releases the GIL) while this one is
    inserted."""
    ids = np.asarray(ids, dtype=np.int64)
    geometries_4326 = np.asarray(geometries_4326, dtype=object)
    if replace:
        delete_tile_geometry(db, ids.tolist())
    chunks = ((ids[start:start + WRITE_CHUNK], geometries_4326[start:start + WRITE_CHUNK])
              for start in range(0, len(ids), WRITE_CHUNK))
    for rows in computed_one_ahead(band_rows, chunks):
        for band, band_ids, blobs in rows:
            db.executemany(f"INSERT INTO {TILE_GEOM} (band, parcel_id, wkb) VALUES (?, ?, ?)",
                           zip(repeat(band), band_ids, blobs))


def delete_tile_geometry(db: sqlite3.Connection, ids) -> None:
    """Forget the band geometry of the given parcels (by primary key, every band)."""
    db.executemany(f"DELETE FROM {TILE_GEOM} WHERE band = ? AND parcel_id = ?",
                   [(band, i) for i in ids for band in range(len(BAND_MAX_ZOOM))])


def create_tile_tables(db: sqlite3.Connection) -> None:
    """Create the tile tables where missing, registered as non-feature content (GIS clients
    do not list them as layers)."""
    for statement in SCHEMA:
        db.execute(statement)
    ensure_cache_totals(db)
    register_tables(db, (TILE_GEOM, TILE_CACHE, TILE_STATE), DATA_TYPE,
                    "landgis vector tile data (not a map layer)", EXTENSION,
                    "landgis README: Serving in production")


def ensure_cache_totals(db: sqlite3.Connection) -> None:
    """Add the tile cache's row and byte totals (geopackage.cache_bounds) where missing,
    registered as non-feature content like the cache itself."""
    if not has_totals(db):
        for statement in totals_schema(TILE_CACHE):
            db.execute(statement)
    register_tables(db, (TOTALS,), DATA_TYPE, "landgis vector tile cache totals (not a map layer)",
                    EXTENSION, "landgis README: Serving in production")


def reset_tile_tables(db: sqlite3.Connection, parcels: gpd.GeoDataFrame) -> None:
    """After writing every parcel anew: band geometry from the frame, an empty tile cache."""
    create_tile_tables(db)
    db.execute(f"DELETE FROM {TILE_GEOM}")
    db.execute(f"DELETE FROM {TILE_CACHE}")
    write_tile_geometry(db, parcels["id"], parcels.geometry.to_numpy(), replace=False)
    bump_generation(db)


def rebuild_tile_tables(db: sqlite3.Connection) -> None:
    """Create the tile tables of an older store from its parcels (in a write transaction)."""
    rows = db.execute(f"SELECT fid, geom FROM {LAYER}").fetchall()
    frame = gpd.GeoDataFrame({"id": [r[0] for r in rows]},
                             geometry=[geometry_from_gpkg_blob(r[1]) for r in rows])
    reset_tile_tables(db, frame)


def refresh_parcel_tiles(db: sqlite3.Connection, parcel_ids) -> int:
    """After parcels changed (or were inserted) in this transaction: drop the cached tiles that
    meet their old or new geometry, rewrite their band geometry; returns tiles dropped.

    Past EXACT_DROP_LIMIT parcels (a large import) the whole cache is dropped instead."""
    ids = sorted({int(i) for i in parcel_ids})
    if not ids or not has_tile_tables(db):
        return 0
    exact = len(ids) <= EXACT_DROP_LIMIT
    dropped = 0 if exact else db.execute(f"DELETE FROM {TILE_CACHE}").rowcount
    for start in range(0, len(ids), SQL_CHUNK):
        chunk = ids[start:start + SQL_CHUNK]
        marks = ", ".join("?" * len(chunk))
        old = [r[0] for r in db.execute(f"SELECT wkb FROM {TILE_GEOM} WHERE band = ? AND "
                                        f"parcel_id IN ({marks})", [EXACT_BAND, *chunk])]
        rows = db.execute(f"SELECT fid, geom FROM {LAYER} WHERE fid IN ({marks})",
                          chunk).fetchall()
        new = [geometry_from_gpkg_blob(r[1]) for r in rows]
        write_tile_geometry(db, [r[0] for r in rows], new)
        gone = set(chunk) - {r[0] for r in rows}
        delete_tile_geometry(db, gone)
        if exact:
            touched = [*shapely.from_wkb(np.array(old, dtype=object)),
                       *mercator_geometries(np.array(new, dtype=object))[EXACT_BAND]]
            dropped += drop_cached_tiles(db, [g for g in touched if g is not None])
    bump_generation(db)
    return dropped


def refresh_after_upsert(db: sqlite3.Connection, changes) -> int:
    """refresh_parcel_tiles for an upsert: its changed parcels and the ones it inserted."""
    if not has_tile_tables(db):
        return 0
    inserted = [r[0] for r in db.execute(
        f"SELECT fid FROM {LAYER} WHERE fid NOT IN (SELECT parcel_id FROM {TILE_GEOM} "
        "WHERE band = ?)", (EXACT_BAND,))]
    return refresh_parcel_tiles(db, [c.parcel_id for c in changes] + inserted)


def _tile_box_m(z: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    size_m = WORLD_M / (1 << z).astype(float)
    pad = BUFFER_FRACTION * size_m
    west, north = x * size_m - WORLD_M / 2, WORLD_M / 2 - y * size_m
    return shapely.box(west - pad, north - size_m - pad, west + size_m + pad, north + pad)


def drop_cached_tiles(db: sqlite3.Connection, geometries_m: list) -> int:
    """Delete the cached tiles (every zoom and filter) whose buffered bounds meet a geometry
    (Web Mercator metres); returns how many rows went."""
    dropped = 0
    zooms = [r[0] for r in db.execute(f"SELECT DISTINCT z FROM {TILE_CACHE}")]
    for geometry in geometries_m:
        west, south, east, north = shapely.bounds(geometry)
        for z in zooms:
            size_m = WORLD_M / (1 << z)
            pad = BUFFER_FRACTION * size_m + 1e-6
            cols = (int((west - pad + WORLD_M / 2) // size_m),
                    int((east + pad + WORLD_M / 2) // size_m))
            rows = (int((WORLD_M / 2 - north - pad) // size_m),
                    int((WORLD_M / 2 - south + pad) // size_m))
            cached = np.array(db.execute(
                f"SELECT DISTINCT x, y FROM {TILE_CACHE} WHERE z = ? AND x BETWEEN ? AND ? "
                "AND y BETWEEN ? AND ?", (z, *cols, *rows)).fetchall(), dtype=np.int64)
            if not len(cached):
                continue
            boxes = _tile_box_m(np.full(len(cached), z), cached[:, 0], cached[:, 1])
            hit = cached[shapely.intersects(boxes, geometry)]
            for x, y in hit.tolist():
                dropped += db.execute(f"DELETE FROM {TILE_CACHE} WHERE z = ? AND x = ? AND "
                                      "y = ?", (z, x, y)).rowcount
    return dropped


def trim_tile_cache(db: sqlite3.Connection, max_tiles: int | None = None,
                    max_bytes: int | None = None) -> int:
    """Keep the cache within max_tiles and max_bytes (default: CacheLimits()): drop the tiles of
    filtered views, then, if that is not enough, every tile; returns how many went."""
    default = CacheLimits()
    limits = CacheLimits(tile_rows=max_tiles or default.tile_rows,
                         tile_bytes=max_bytes or default.tile_bytes)
    tiles, size = cache_totals(db)
    if tiles <= limits.tile_rows and size <= limits.tile_bytes:
        return 0
    return make_room(db, TILE_CACHE, replace(limits, tile_rows=limits.tile_rows + 1))


def bump_generation(db: sqlite3.Connection) -> None:
    db.execute(f"UPDATE {TILE_STATE} SET generation = generation + 1 WHERE id = 1")
