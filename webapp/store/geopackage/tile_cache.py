"""Vector tiles of a GeoPackage store, answered from the tile cache or encoded from the band
geometry (webapp.store.geopackage.tile_tables) and kept in the cache when they are worth keeping:
bounded in rows and bytes (CacheLimits); unknown streets, free text and empty tiles not kept."""

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from webapp.domain.filters import ParcelFilter
from webapp.store.cache_keys import CacheLimits, KnownStreets, filter_key
from webapp.store.geopackage.cache_bounds import bounded_insert_sql, make_room
from webapp.store.geopackage.cache_writer import CacheWriter
from webapp.store.geopackage.database import GeoPackageFile
from webapp.store.geopackage.tile_tables import TILE_CACHE, TILE_GEOM, TILE_STATE, has_tile_tables
from webapp.store.sql_filter import where_clause
from webapp.store.tables import PARCELS as LAYER
from webapp.tiles.grid import TileAddress, tile_bounds
from webapp.tiles.mvt import BUFFER_FRACTION
from webapp.tiles.projected import band_of_zoom, encode_mercator_tile

logger = logging.getLogger(__name__)

# Tiles start from the R-tree (a tile is a small part of the district; joined rather than
# tested with IN (...), which SQLite builds a list for first: a fifth of a z16 tile's query).
TILE_BBOX_SQL = "r.maxx >= ? AND r.maxy >= ? AND r.minx <= ? AND r.miny <= ?"
ROW_COLUMNS = ["fid", "code", "land_use", "status", "area_m2", "wkb"]
COLUMN_TYPES = {"fid": np.int64, "area_m2": np.float64}


def read_tile_rows(db: sqlite3.Connection, tile: TileAddress,
                   parcel_filter: ParcelFilter) -> dict[str, np.ndarray]:
    """The matching parcels in the buffered tile with their band geometry, ordered by code."""
    in_tile = replace(parcel_filter, bbox=tile_bounds(tile, BUFFER_FRACTION))
    where, params = where_clause(in_tile, TILE_BBOX_SQL)
    sql = (f"SELECT fid, code, land_use, status, area_m2, g.wkb FROM rtree_{LAYER}_geom r "
           f"CROSS JOIN {LAYER} ON fid = r.id CROSS JOIN {TILE_GEOM} g ON g.band = ? "
           f"AND g.parcel_id = fid WHERE {where}")
    rows = db.execute(sql, [band_of_zoom(tile.z), *params]).fetchall()
    # Code order: equal data, equal bytes, whatever the row order. Sorted here rather than by
    # SQLite, whose temporary B-tree cost a small tile a fifth of its query.
    rows.sort(key=_code_of_row)
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(ROW_COLUMNS)
    return {name: np.array(values, dtype=COLUMN_TYPES.get(name, object))
            for name, values in zip(ROW_COLUMNS, columns, strict=True)}


def _code_of_row(row: tuple) -> str:
    return row[1] or ""


CACHE_INSERT_SQL = bounded_insert_sql(TILE_CACHE, TILE_STATE)
# The cached tile, if any, and the generation, read in one statement (one snapshot).
CACHE_LOOKUP_SQL = (f"SELECT (SELECT data FROM {TILE_CACHE} WHERE z = ? AND x = ? AND y = ? "
                    f"AND filter_key = ?), generation FROM {TILE_STATE}")


TileFallback = Callable[[int, int, int, ParcelFilter], bytes]


class TileCache:
    """tile() through the shared cache; `fallback` answers for a store file from before the
    tile tables (ParcelStore.tile: query and encode)."""

    def __init__(self, database: GeoPackageFile, writer: CacheWriter, known_streets: KnownStreets,
                 fallback: TileFallback) -> None:
        self.database = database
        self.writer = writer
        self.known_streets = known_streets
        self.fallback = fallback
        self.limits = CacheLimits()  # the app sets the configured ones (webapp.services)
        self.stats = {"hits": 0, "misses": 0, "stored": 0}  # answered by this object (process)

    def tile(self, z: int, x: int, y: int, parcel_filter: ParcelFilter) -> bytes:
        address = TileAddress(z, x, y)
        with self.database.read() as db:
            if parcel_filter.text:  # searches are too many to keep; they match few parcels
                if not has_tile_tables(db):
                    return self.fallback(z, x, y, parcel_filter)
                return encode_mercator_tile(read_tile_rows(db, address, parcel_filter), address)
            key = filter_key(parcel_filter)
            db.execute("BEGIN")  # one snapshot for the cache, the generation and the rows
            try:
                hit, generation = db.execute(CACHE_LOOKUP_SQL, (z, x, y, key)).fetchone()
            except sqlite3.OperationalError:  # a store from before the tile tables
                if has_tile_tables(db):
                    raise
                return self.fallback(z, x, y, parcel_filter)
            if hit is not None:
                self.stats["hits"] += 1
                return hit
            rows = read_tile_rows(db, address, parcel_filter)
        self.stats["misses"] += 1
        data = encode_mercator_tile(rows, address)
        if len(rows["fid"]) and self.known_streets.cover(parcel_filter, generation):
            self._keep(address, key, data, generation)
        return data

    def count(self) -> int:
        """How many encoded tiles the cache holds (all zooms and filters)."""
        with self.database.read() as db:
            return db.execute(f"SELECT COUNT(*) FROM {TILE_CACHE}").fetchone()[0]

    def _keep(self, tile: TileAddress, key: str, data: bytes, generation: int) -> None:
        limits = self.limits
        values = (tile.z, tile.x, tile.y, key, data, generation, limits.tile_rows, len(data),
                  limits.tile_bytes)
        try:
            db = self.writer.connection()
            with db:
                stored = db.execute(CACHE_INSERT_SQL, values).rowcount
                if not stored and make_room(db, TILE_CACHE, limits, len(data)):
                    stored = db.execute(CACHE_INSERT_SQL, values).rowcount
            self.stats["stored"] += stored
            if stored:
                self.writer.committed(len(data))
        except sqlite3.OperationalError as error:  # busy: the next request caches it
            logger.debug("tile %s not cached: %s", tile, error)
