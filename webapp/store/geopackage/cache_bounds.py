"""Bounds of the GeoPackage tile cache in rows and bytes, kept exact across server processes.

Triggers keep the cache's row count and byte total in `landgis_tile_cache_totals` in the same
transaction as every insert, update and delete, so a tile is cached only when it fits
(CacheLimits.tile_rows and tile_bytes): no request, however many distinct filters it tries,
grows the cache past its bound. When a tile does not fit, the tiles of filtered views go first,
then, if the district's own views alone fill the cache, every tile (all are rebuilt on demand).
"""

import logging
import sqlite3

from webapp.store.cache_keys import CacheLimits, unfiltered_keys
from webapp.store.geopackage.registry import schema_has

logger = logging.getLogger(__name__)

TOTALS = "landgis_tile_cache_totals"


def totals_schema(cache: str) -> tuple[str, ...]:
    """The totals table and the triggers that keep it (idempotent)."""
    keep = f"UPDATE {TOTALS} SET tiles = tiles + {{rows}}, bytes = bytes + {{bytes}} WHERE id = 1"
    return (
        f"CREATE TABLE IF NOT EXISTS {TOTALS} (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "tiles INTEGER NOT NULL, bytes INTEGER NOT NULL)",
        f"INSERT OR IGNORE INTO {TOTALS} (id, tiles, bytes) "
        f"SELECT 1, COUNT(*), COALESCE(SUM(length(data)), 0) FROM {cache}",
        f"CREATE TRIGGER IF NOT EXISTS {cache}_added AFTER INSERT ON {cache} BEGIN "
        f"{keep.format(rows=1, bytes='length(NEW.data)')}; END",
        f"CREATE TRIGGER IF NOT EXISTS {cache}_dropped AFTER DELETE ON {cache} BEGIN "
        f"{keep.format(rows=-1, bytes='-length(OLD.data)')}; END",
        f"CREATE TRIGGER IF NOT EXISTS {cache}_replaced AFTER UPDATE OF data ON {cache} BEGIN "
        f"{keep.format(rows=0, bytes='length(NEW.data) - length(OLD.data)')}; END",
    )


def has_totals(db: sqlite3.Connection) -> bool:
    """Whether the store keeps the cache totals (stores made before them do not)."""
    return schema_has(db, TOTALS)


def cache_totals(db: sqlite3.Connection) -> tuple[int, int]:
    """(tiles, bytes) the cache holds."""
    return db.execute(f"SELECT tiles, bytes FROM {TOTALS} WHERE id = 1").fetchone()


def bounded_insert_sql(cache: str, state: str) -> str:
    """Insert (or replace) a tile if the generation is current and it fits the bounds.
    Parameters: z, x, y, filter_key, data, generation, max rows, its bytes, max bytes."""
    return (f"INSERT INTO {cache} (z, x, y, filter_key, data) SELECT ?, ?, ?, ?, ? "
            f"WHERE (SELECT generation FROM {state}) = ? AND (SELECT tiles < ? AND "
            f"bytes + ? <= ? FROM {TOTALS} WHERE id = 1) "
            "ON CONFLICT (z, x, y, filter_key) DO UPDATE SET data = excluded.data")


def make_room(db: sqlite3.Connection, cache: str, limits: CacheLimits,
              incoming_bytes: int = 0) -> int:
    """Drop tiles until one more of incoming_bytes fits: filtered views first, then every
    tile; returns how many went."""
    tiles, size = cache_totals(db)
    if tiles < limits.tile_rows and size + incoming_bytes <= limits.tile_bytes:
        return 0
    dropped = db.execute(f"DELETE FROM {cache} WHERE filter_key NOT IN (?, ?)",
                         unfiltered_keys()).rowcount
    tiles, size = cache_totals(db)
    if tiles >= limits.tile_rows or size + incoming_bytes > limits.tile_bytes:
        dropped += db.execute(f"DELETE FROM {cache}").rowcount
    logger.info("tile cache full (limits %d tiles, %d bytes): dropped %d", limits.tile_rows,
                limits.tile_bytes, dropped)
    return dropped
