"""GeoPackageStore: the default, embedded parcel store (one SQLite/GeoPackage file).

Parcels are written whole through GDAL (geopackage.file) or in bulk (geopackage.bulk), read
through SQLite with SQL filters. The store is made of collaborators built here: the file's
connections (GeoPackageFile), the cache writer, the tile cache, the kept summaries, the staff
accounts and the context layers; ensure_schema brings an older file up to date in one explicit
sequence.
"""

import logging
import os
import sqlite3
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from webapp.domain.audit import ChangeFilter, ChangePage, ParcelChange
from webapp.domain.filters import ParcelFilter
from webapp.domain.parcel import Parcel
from webapp.store.audit_rows import import_actor
from webapp.store.cache_keys import CacheLimits, KnownStreets
from webapp.store.feature_page import GEOJSON_DECIMALS, FeaturePage
from webapp.store.geopackage import edits
from webapp.store.geopackage.attachments import geopackage_attachments
from webapp.store.geopackage.backup import GeoPackageBackups
from webapp.store.geopackage.blob import gpkg_blobs_from_geometries
from webapp.store.geopackage.bulk import RTREE, rewrite_parcels
from webapp.store.geopackage.cache_writer import CacheWriter
from webapp.store.geopackage.context import GeoPackageContext
from webapp.store.geopackage.database import GeoPackageFile
from webapp.store.geopackage.feature_rows import FEATURE_SELECT, feature_page_of_rows
from webapp.store.geopackage.file import check_parcel_counts, create_store_file
from webapp.store.geopackage.import_profiles import geopackage_import_profiles
from webapp.store.geopackage.meta import read_schema_version
from webapp.store.geopackage.migrate import migrate_geopackage
from webapp.store.geopackage.pipeline import geopackage_pipeline
from webapp.store.geopackage.rows import SELECT_COLUMNS, parcel_from_row
from webapp.store.geopackage.staff import GeoPackageStaff
from webapp.store.geopackage.summary import SummaryCache
from webapp.store.geopackage.tile_cache import TileCache
from webapp.store.geopackage.tile_tables import (
    refresh_after_upsert,
    reset_tile_tables,
)
from webapp.store.geopackage.upsert import read_stored, upsert_parcels
from webapp.store.import_effect import ImportEffect, count_import_effect
from webapp.store.interface import ParcelStore
from webapp.store.kept_summaries import KeptSummaries
from webapp.store.migrations import Migration
from webapp.store.page_start import milestone_codes, plan_page_start
from webapp.store.records import PARCEL_CHUNK, Bounds, LandUseShare, ParcelPage, UpsertResult
from webapp.store.replace_audit import BEFORE_TABLE, kept_published_sql
from webapp.store.schema_version import UNRECORDED
from webapp.store.sql_filter import where_clause
from webapp.store.sql_order import order_by
from webapp.store.supply import SupplyDialect, SupplySummary, compute_supply
from webapp.store.supply_groups import SupplyGroups, compute_supply_groups
from webapp.store.tables import PARCEL_CHANGES as CHANGES
from webapp.store.tables import PARCELS as LAYER
from webapp.store.tables import checked_columns

logger = logging.getLogger(__name__)

# A parcel meets the bbox when its geometry does, not only its envelope (as ST_Intersects and
# other OGC API servers): the R-tree finds the candidates; those whose envelope lies inside the
# box meet it; only the rest, along the box's edges, have their geometry tested.
BBOX_SQL = (f"fid IN (SELECT b.id FROM {RTREE} b WHERE b.maxx >= ? AND b.maxy >= ? "
            "AND b.minx <= ? AND b.miny <= ? "
            "AND ((b.minx >= ? AND b.miny >= ? AND b.maxx <= ? AND b.maxy <= ?) "
            f"OR landgis_intersects_box((SELECT geom FROM {LAYER} WHERE fid = b.id), "
            "?, ?, ?, ?)))")
SELECTION_INDEX = f"idx_{LAYER}_selection_cover"  # geopackage.file.QUERY_INDEXES
# Above this many matches the first page is read in code order (stopping after `limit` matches)
# instead of sorting every match: a common land use at 10^6 parcels matches ~10^5 rows.
SCAN_IN_CODE_ORDER_ABOVE = 5000


class GeoPackageStore(ParcelStore):
    """Parcels in a GeoPackage: written whole through GDAL, read through SQLite with SQL filters."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.database = GeoPackageFile(self.path)
        self.cache_writer = CacheWriter(self.path, self.database.connections)
        self.known_streets = KnownStreets(self.streets)
        self.tiles = TileCache(self.database, self.cache_writer, self.known_streets,
                               lambda z, x, y, f: ParcelStore.tile(self, z, x, y, f))
        self.summary_cache = SummaryCache(self.database, self.cache_writer, self.known_streets)
        self.summaries = KeptSummaries(self.summary_cache, self._compute_bounds,
                                       self._compute_breakdown, self._compute_supply,
                                       self._compute_matched, self._compute_milestones,
                                       compute_supply_groups=self._compute_supply_groups)
        self.staff = GeoPackageStaff(self.database)
        self.context = GeoPackageContext(self.database)
        self.pipeline = geopackage_pipeline(self.database)
        self.attachments = geopackage_attachments(self.database)
        self.import_profiles = geopackage_import_profiles(self.database)
        self.backups = GeoPackageBackups(self.path, GeoPackageStore)

    @property
    def cache_limits(self) -> CacheLimits:
        """How much the tile and summary caches may hold."""
        return self.tiles.limits

    @cache_limits.setter
    def cache_limits(self, limits: CacheLimits) -> None:
        self.tiles.limits = self.summary_cache.limits = limits

    def close(self) -> None:
        self.database.close()

    def exists(self) -> bool:
        """Whether the GeoPackage file exists and holds the parcel table."""
        if not self.path.is_file():
            return False
        with self.database.read() as db:
            row = db.execute("SELECT 1 FROM gpkg_contents WHERE table_name = ?", (LAYER,))
            return row.fetchone() is not None

    def ensure_schema(self) -> None:
        """Bring the file up to date: the due numbered migrations (webapp.store.migrations),
        the baseline's idempotent statements included."""
        self.migrate()

    def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        """Apply the due migrations, each in one write transaction; the versions applied."""
        return migrate_geopackage(self.database, migrations)

    def schema_version(self) -> int:
        """The version in the file's landgis_meta table; 0 without a file or a record."""
        if not self.path.is_file():
            return UNRECORDED
        with self.database.read() as db:
            return read_schema_version(db)

    def _select(self, where: str, params: list, tail: str = "",
                with_geometry: bool = True, table: str = LAYER) -> list[Parcel]:
        geom = "geom" if with_geometry else "NULL"
        sql = f"SELECT {SELECT_COLUMNS}, {geom} FROM {table} WHERE {where} {tail}"
        with self.database.read() as db:
            return [parcel_from_row(row) for row in db.execute(sql, params)]

    def query(self, parcel_filter: ParcelFilter, limit: int | None = None, offset: int = 0,
              with_geometry: bool = True, sort: str = "code",
              after_code: str | None = None) -> ParcelPage:
        def select(where: str, params: list, tail: str, table: str) -> list[Parcel]:
            return self._select(where, params, tail, with_geometry, table)

        matched, total, parcels = self._page(parcel_filter, limit, offset, sort, after_code,
                                             select)
        return ParcelPage(parcels=parcels, number_matched=matched, total_area_m2=total)

    def feature_page(self, parcel_filter: ParcelFilter, limit: int | None = None,
                     offset: int = 0, sort: str = "code", after_code: str | None = None,
                     decimals: int = GEOJSON_DECIMALS) -> FeaturePage:
        def select(where: str, params: list, tail: str, table: str) -> list[tuple]:
            with self.database.read() as db:
                return db.execute(f"SELECT {FEATURE_SELECT} FROM {table} WHERE {where} {tail}",
                                  params).fetchall()

        matched, total, rows = self._page(parcel_filter, limit, offset, sort, after_code, select)
        return feature_page_of_rows(rows, matched, total, decimals)

    def _page(self, parcel_filter: ParcelFilter, limit: int | None, offset: int, sort: str,
              after_code: str | None, select: Callable[[str, list, str, str], list]
              ) -> tuple[int, float, list]:
        """(match count, their area in m², the page as select(where, params, tail, table)
        reads it) of query() and feature_page()."""
        matched, total = self.summaries.matched(parcel_filter)
        rows: list = []
        if matched and (after_code is not None or offset < matched):
            start = plan_page_start(parcel_filter, offset, after_code, sort, limit,
                                    self.summaries.code_milestones)
            where, params = start.where(*where_clause(parcel_filter, BBOX_SQL))
            table = LAYER
            if sort == "code" and limit is not None and matched > SCAN_IN_CODE_ORDER_ABOVE:
                table = f"{LAYER} INDEXED BY idx_{LAYER}_code"
            page_params = [*params, -1 if limit is None else limit, start.offset]
            rows = select(where, page_params,
                          f"ORDER BY {order_by(sort, 'fid')} LIMIT ? OFFSET ?", table)
        return matched, float(total), rows  # a float even when summed over no row

    def _compute_matched(self, parcel_filter: ParcelFilter) -> tuple[int, float]:
        with self.database.read() as db:
            return count_and_area(db, parcel_filter)

    def _compute_milestones(self, parcel_filter: ParcelFilter) -> list[str]:
        # The covering selection index holds every column a kept filter names and the code:
        # read it alone and sort in Python (SQLite's window function over the code index,
        # which reads each row for `published`, takes 2-8x longer; 10^5 parcels: ~0.2 s).
        where, params = where_clause(parcel_filter, BBOX_SQL)
        sql = f"SELECT code FROM {LAYER} INDEXED BY {SELECTION_INDEX} WHERE {where}"
        with self.database.read() as db:
            try:
                return milestone_codes(row[0] for row in db.execute(sql, params))
            except sqlite3.OperationalError:  # a store made before the index
                return milestone_codes(row[0] for row in db.execute(
                    f"SELECT code FROM {LAYER} WHERE {where}", params))

    def parcels_after(self, parcel_filter: ParcelFilter, after_id: int | None, limit: int,
                      with_geometry: bool = True) -> list[Parcel]:
        where, params = where_clause(parcel_filter, BBOX_SQL)
        if after_id is not None:
            where, params = f"({where}) AND fid > ?", [*params, after_id]
        return self._select(where, [*params, limit], "ORDER BY fid LIMIT ?", with_geometry)

    def attribute_table(self, parcel_filter: ParcelFilter, columns: Sequence[str],
                        limit: int) -> pd.DataFrame:
        where, params = where_clause(parcel_filter, BBOX_SQL)
        names = ["id", *columns]
        sql = f"SELECT fid, {checked_columns(columns)} FROM {LAYER} WHERE {where} LIMIT ?"
        if not self.exists():
            return pd.DataFrame(columns=names)
        with self.database.read() as db:
            rows = db.execute(sql, [*params, limit]).fetchall()
        return pd.DataFrame.from_records(rows, columns=names)

    def iter_parcels(self, parcel_filter: ParcelFilter, chunk_size: int = PARCEL_CHUNK,
                     with_geometry: bool = True) -> Iterator[list[Parcel]]:
        if parcel_filter.bbox is None or chunk_size < 1:
            yield from super().iter_parcels(parcel_filter, chunk_size, with_geometry)
            return
        # SQLite runs the R-tree subquery of a bbox whole for every statement, so keyset pages
        # would cost (matches / chunk_size) R-tree scans: the matching ids are read once
        # instead (8 bytes each: 8 MB for 10^6 parcels), then their parcels a chunk at a time.
        where, params = where_clause(parcel_filter, BBOX_SQL)
        with self.database.read() as db:
            ids = array("q", (row[0] for row in db.execute(
                f"SELECT fid FROM {LAYER} WHERE {where} ORDER BY fid", params)))
        rest, rest_params = where_clause(replace(parcel_filter, bbox=None), BBOX_SQL)
        for start in range(0, len(ids), chunk_size):
            part = ids[start:start + chunk_size].tolist()
            chunk = self._select(f"({rest}) AND fid IN ({', '.join('?' * len(part))})",
                                 [*rest_params, *part], "ORDER BY fid", with_geometry)
            if chunk:
                yield chunk

    def get(self, key: int | str, include_drafts: bool = False) -> Parcel | None:
        column = "fid" if isinstance(key, int) else "code"
        where = f"{column} = ?" + ("" if include_drafts else " AND published = 1")
        found = self._select(where, [key])
        return found[0] if found else None

    def _compute_bounds(self, parcel_filter: ParcelFilter) -> Bounds | None:
        where, params = where_clause(parcel_filter, BBOX_SQL)
        sql = (f"SELECT MIN(r.minx), MIN(r.miny), MAX(r.maxx), MAX(r.maxy) FROM {RTREE} r "
               f"JOIN {LAYER} ON {LAYER}.fid = r.id WHERE {where}")
        with self.database.read() as db:
            row = db.execute(sql, params).fetchone()
        return None if row[0] is None else tuple(row)

    def _compute_breakdown(self, parcel_filter: ParcelFilter) -> list[LandUseShare]:
        where, params = where_clause(parcel_filter, BBOX_SQL)
        sql = (f"SELECT land_use, COUNT(*), SUM(area_m2) FROM {LAYER} WHERE {where} "
               "GROUP BY land_use ORDER BY SUM(area_m2) DESC")
        with self.database.read() as db:
            return [LandUseShare(*row) for row in db.execute(sql, params)]

    def _compute_supply(self, parcel_filter: ParcelFilter) -> SupplySummary:
        def run(sql: str, params: list) -> list:
            with self.database.read() as db:
                try:
                    return db.execute(sql, params).fetchall()
                except sqlite3.OperationalError:  # no audit table yet: nothing was edited
                    if CHANGES not in sql:
                        raise
                    return []
        return compute_supply(parcel_filter, SupplyDialect(LAYER, CHANGES),
                              lambda f: where_clause(f, BBOX_SQL), run)

    def _compute_supply_groups(self) -> SupplyGroups:
        with self.database.read() as db:
            def run(sql: str, params: list) -> list:
                return db.execute(sql, params).fetchall()

            def run_audit(sql: str, params: list) -> list:
                try:
                    return run(sql, params)
                except sqlite3.OperationalError:  # no audit table yet: nothing was edited
                    return []
            return compute_supply_groups(SupplyDialect(LAYER, CHANGES), run, run_audit)

    def streets(self) -> list[str]:
        sql = (f"SELECT DISTINCT street FROM {LAYER} WHERE published = 1 AND street IS NOT NULL "
               "ORDER BY street")
        with self.database.read() as db:
            return [row[0] for row in db.execute(sql)]

    def count(self, include_drafts: bool = True) -> int:
        where = "1 = 1" if include_drafts else "published = 1"
        with self.database.read() as db:
            return db.execute(f"SELECT COUNT(*) FROM {LAYER} WHERE {where}").fetchone()[0]

    def code_ids(self) -> dict[str, int]:
        with self.database.read() as db:
            return dict(db.execute(f"SELECT code, fid FROM {LAYER}").fetchall())

    def tile(self, z: int, x: int, y: int, parcel_filter: ParcelFilter) -> bytes:
        return self.tiles.tile(z, x, y, parcel_filter)

    def update_parcel(self, parcel_id: int, changes: dict[str, object],
                      expected_version: int | None, actor: str, source: str) -> Parcel:
        return edits.update_parcel(self.database, parcel_id, changes, expected_version, actor,
                                   source)

    def changes(self, change_filter: ChangeFilter, limit: int = 50,
                offset: int = 0) -> ChangePage:
        return edits.change_page(self.database, change_filter, limit, offset)

    def get_change(self, change_id: int) -> ParcelChange | None:
        return edits.get_change(self.database, change_id)

    def upsert(self, parcels: gpd.GeoDataFrame, actor: str | None = None,
               publish_existing: bool = False, source_name: str | None = None) -> UpsertResult:
        with self.database.write_transaction() as db:
            held = db.execute(f"SELECT EXISTS (SELECT 1 FROM {LAYER})").fetchone()[0]
            result = upsert_parcels(db, parcels, publish_existing)
            refresh_after_upsert(db, result.changes)  # drops exactly the tiles it touched
            edits.audit_upsert(db, result.changes, actor or import_actor())
            if held:  # the first load of an empty store starts its history
                edits.audit_created(db, result.created, actor or import_actor(), source_name)
        self.warm_summaries()
        return result

    def import_effect(self, parcels: gpd.GeoDataFrame,
                      publish_existing: bool = False) -> ImportEffect:
        if not self.exists():
            return ImportEffect(new=len(parcels))
        with self.database.read() as db:
            total = db.execute(f"SELECT COUNT(*) FROM {LAYER}").fetchone()[0]
            return count_import_effect(parcels, lambda codes: read_stored(db, codes),
                                       gpkg_blobs_from_geometries, total, publish_existing)

    def replace_all(self, parcels: gpd.GeoDataFrame, actor: str | None = None,
                    keep_published: bool = False, source_name: str | None = None) -> int:
        if not self.exists():
            create_store_file(parcels, self.path)
        else:
            with self.database.write_transaction() as db:
                kept = edits.keep_before_import(db)
                rewrite_parcels(db, parcels, f"temp.{BEFORE_TABLE}")
                if keep_published:  # drafts stay drafts
                    for sql in kept_published_sql(LAYER, f"temp.{BEFORE_TABLE}"):
                        db.execute(sql)
                reset_tile_tables(db, parcels)  # new band geometry, empty tile cache
                check_parcel_counts(db, len(parcels), self.path.name)
                db.execute(f"ANALYZE {LAYER}")  # index statistics for the query planner
                edits.audit_replacement(db, kept, actor or import_actor(), source_name)
        self.warm_summaries()
        logger.info("replaced all parcels in %s: %d parcels", self.path, len(parcels))
        return len(parcels)


def count_and_area(db: sqlite3.Connection, parcel_filter: ParcelFilter) -> tuple[int, float]:
    """How many parcels match and their area (m²). Several land uses are counted one by one
    and added up: each reads the covering land-use index alone, where one OR of the ranges
    would look up every matching row (10^6 parcels, two uses: 100 ms -> 25 ms)."""
    selects, params = [], []
    for part in parcel_filter.by_land_use():
        where, part_params = where_clause(part, BBOX_SQL)
        selects.append(f"SELECT COUNT(*) AS n, COALESCE(SUM(area_m2), 0) AS a FROM {LAYER} "
                       f"WHERE {where}")
        params += part_params
    matched, total = db.execute(f"SELECT SUM(n), SUM(a) FROM ({' UNION ALL '.join(selects)})",
                                params).fetchone()
    return matched, total
