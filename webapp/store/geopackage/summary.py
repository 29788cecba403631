"""District summaries of a GeoPackageStore (bounds, land-use breakdown) kept until parcels change.

At a million parcels the map page's bounds and breakdown each read every row (0.1-0.7 s). They
change only when parcels do, so the answer is stored in the store file next to the tile cache,
tagged with the tile generation (bumped by every parcel write, see geopackage.tile_tables):
all server processes share it, and an answer from an older generation is never used. Filters with
free text, a bounding box or an area range are answered fresh (cache_keys.summary_key), and so
are filters naming a street no parcel has; the kept answers are bounded in rows and bytes
(CacheLimits.summary_rows, summary_bytes), filtered views dropped first.
"""

import json
import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from webapp.domain.filters import ParcelFilter
from webapp.store.cache_keys import CacheLimits, KnownStreets, summary_key, unfiltered_keys
from webapp.store.geopackage.cache_writer import CacheWriter
from webapp.store.geopackage.database import GeoPackageFile
from webapp.store.geopackage.registry import register_tables
from webapp.store.geopackage.tile_tables import TILE_STATE
from webapp.store.tables import SUMMARY_CACHE

logger = logging.getLogger(__name__)

DATA_TYPE = "landgis_cache"
SCHEMA = (f"CREATE TABLE IF NOT EXISTS {SUMMARY_CACHE} (name TEXT NOT NULL, "
          "filter_key TEXT NOT NULL, generation INTEGER NOT NULL, value TEXT NOT NULL, "
          "PRIMARY KEY (name, filter_key)) WITHOUT ROWID")
TOTALS_SQL = (f"SELECT COUNT(*), COALESCE(SUM(length(CAST(filter_key AS BLOB)) + "
              f"length(CAST(value AS BLOB))), 0) FROM {SUMMARY_CACHE}")
READ_SQL = (f"SELECT s.value, s.generation = t.generation FROM {SUMMARY_CACHE} s, {TILE_STATE} t "
            "WHERE s.name = ? AND s.filter_key = ?")


class SummaryCache:
    """Summaries remembered in the store file, read through `database`, written through
    `writer`; filters naming streets known_streets does not know are answered fresh."""

    def __init__(self, database: GeoPackageFile, writer: CacheWriter,
                 known_streets: KnownStreets) -> None:
        self.database = database
        self.writer = writer
        self.known_streets = known_streets
        self.limits = CacheLimits()  # the app sets the configured ones (webapp.services)

    def get(self, name: str, parcel_filter: ParcelFilter, compute: Callable[[], Any],
            to_json: Callable[[Any], Any], from_json: Callable[[Any], Any],
            keep_any: bool = False) -> Any:
        """The stored answer of the current generation, else compute() (and store it unless the
        filter names a street no parcel has)."""
        key = summary_key(parcel_filter, keep_any)
        if key is None:
            return compute()
        with self.database.read() as db:
            db.execute("BEGIN")  # the answer and the generation from one snapshot
            try:
                generation = db.execute(f"SELECT generation FROM {TILE_STATE}").fetchone()[0]
            except sqlite3.OperationalError:  # a store made before the tile tables
                return compute()
            try:
                hit = db.execute(READ_SQL, (name, key)).fetchone()
            except sqlite3.OperationalError:  # no summary kept yet: the table comes with one
                hit = None
            if hit is not None and hit[1]:
                return from_json(json.loads(hit[0]))
            value = compute()
        if self.known_streets.cover(parcel_filter, generation):
            self._put(name, key, generation, json.dumps(to_json(value), ensure_ascii=False))
        return value

    def _put(self, name: str, key: str, generation: int, value: str) -> None:
        limits = self.limits
        try:
            db = self.writer.connection()
            with db:
                db.execute(SCHEMA)
                register_tables(db, (SUMMARY_CACHE,), DATA_TYPE,
                                "landgis district summaries (not a map layer)")
                db.execute(f"DELETE FROM {SUMMARY_CACHE} WHERE generation <> ?", (generation,))
                make_summary_room(db, limits, len(key.encode()) + len(value.encode()))
                db.execute(f"INSERT OR REPLACE INTO {SUMMARY_CACHE} (name, filter_key, "
                           f"generation, value) SELECT ?, ?, ?, ? WHERE (SELECT generation "
                           f"FROM {TILE_STATE}) = ?", (name, key, generation, value, generation))
            self.writer.committed(len(value))
        except sqlite3.OperationalError as error:  # busy: a later request stores it
            logger.debug("summary %s not kept: %s", name, error)


def make_summary_room(db: sqlite3.Connection, limits: CacheLimits, incoming_bytes: int) -> None:
    """Drop kept summaries until one more of incoming_bytes fits the limits: filtered views
    first, then every one (a few hundred rows at most: counted directly)."""
    for where, params in (("filter_key NOT IN (?, ?)", unfiltered_keys()), ("1 = 1", ())):
        rows, size = db.execute(TOTALS_SQL).fetchone()
        if rows < limits.summary_rows and size + incoming_bytes <= limits.summary_bytes:
            return
        db.execute(f"DELETE FROM {SUMMARY_CACHE} WHERE {where}", params)
