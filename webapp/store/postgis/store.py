"""PostGISStore: parcels, staff data and vector tiles in a PostgreSQL + PostGIS schema.

Selected by a `postgresql://…?schema=NAME` store URL. The store is made of collaborators built
here: the database's connections (PostGISDatabase, opened on first use), the kept summaries,
the staff accounts and the context layers.
"""

import logging
from collections.abc import Callable, Sequence

import geopandas as gpd
import pandas as pd
import psycopg

from webapp.domain.audit import ChangeFilter, ChangePage, ParcelChange
from webapp.domain.errors import DataFileError
from webapp.domain.filters import ParcelFilter
from webapp.domain.parcel import Parcel
from webapp.store.audit_rows import import_actor
from webapp.store.cache_keys import CacheLimits, KnownStreets
from webapp.store.feature_page import GEOJSON_DECIMALS, FeaturePage
from webapp.store.import_effect import ImportEffect, count_import_effect
from webapp.store.interface import ParcelStore
from webapp.store.kept_summaries import KeptSummaries
from webapp.store.migrations import Migration
from webapp.store.page_start import milestones_sql, plan_page_start
from webapp.store.postgis import edits
from webapp.store.postgis.attachments import postgis_attachments
from webapp.store.postgis.backup import PostGISBackups
from webapp.store.postgis.context import PostGISContext
from webapp.store.postgis.database import (
    CONNECT_TIMEOUT_S,
    POOL_MAX_SIZE,
    PostGISDatabase,
    first_row,
)
from webapp.store.postgis.feature_rows import FEATURE_SELECT, feature_page_of_rows
from webapp.store.postgis.import_profiles import postgis_import_profiles
from webapp.store.postgis.location import PostGISLocation, parse_postgis_url
from webapp.store.postgis.meta import read_schema_version
from webapp.store.postgis.migrate import migrate_postgis
from webapp.store.postgis.pipeline import postgis_pipeline
from webapp.store.postgis.rows import (
    COLUMNS,
    COPY_CHUNK,
    SELECT_COLUMNS,
    copy_rows,
    parcel_from_row,
    wkb_of,
)
from webapp.store.postgis.schema import (
    MERCATOR_COLUMN,
    MERCATOR_MISSING_SQL,
    SRID,
)
from webapp.store.postgis.staff import PostGISStaff
from webapp.store.postgis.summary import PostGISSummaryCache
from webapp.store.postgis.tile import render_tile
from webapp.store.postgis.upsert import read_stored, upsert_parcels
from webapp.store.records import Bounds, LandUseShare, ParcelPage, UpsertResult
from webapp.store.replace_audit import BEFORE_TABLE, kept_published_sql
from webapp.store.sql_filter import where_clause
from webapp.store.sql_order import order_by
from webapp.store.supply import SupplyDialect, SupplySummary, compute_supply
from webapp.store.supply_groups import SupplyGroups, compute_supply_groups
from webapp.store.tables import PARCEL_CHANGES, PARCELS, checked_columns

logger = logging.getLogger(__name__)

# The geometry meets the box, not only its envelope (&& alone would): && lets the GiST index
# find the candidates, ST_Intersects tests each one's geometry.
BBOX_SQL = (f"geom && ST_MakeEnvelope(%s, %s, %s, %s, {SRID}) "
            f"AND ST_Intersects(geom, ST_MakeEnvelope(%s, %s, %s, %s, {SRID}))")


class PostGISStore(ParcelStore):
    """Parcels in a PostGIS table (geometry(MultiPolygon, 4326), GiST index) and staff tables."""

    def __init__(self, url: str, max_connections: int = POOL_MAX_SIZE,
                 connect_timeout_s: int = CONNECT_TIMEOUT_S) -> None:
        location = parse_postgis_url(url)
        self.parcels = location.table(PARCELS)
        self.database = PostGISDatabase(location, max_connections, connect_timeout_s)
        self.known_streets = KnownStreets(self.streets)
        self.summary_cache = PostGISSummaryCache(self.database, self.known_streets)
        self.summaries = KeptSummaries(self.summary_cache, self._compute_bounds,
                                       self._compute_breakdown, self._compute_supply,
                                       self._compute_matched, self._compute_milestones,
                                       compute_supply_groups=self._compute_supply_groups)
        self.staff = PostGISStaff(self.database)
        self.context = PostGISContext(self.database, self.ensure_schema)
        self.pipeline = postgis_pipeline(self.database)
        self.attachments = postgis_attachments(self.database)
        self.import_profiles = postgis_import_profiles(self.database)
        self.backups = PostGISBackups(location, self.migrate)

    @property
    def location(self) -> PostGISLocation:
        """Where the store lives (its database's connection string and schema)."""
        return self.database.location

    def __repr__(self) -> str:
        return f"PostGISStore({self.location.redacted()})"

    @property
    def cache_limits(self) -> CacheLimits:
        """How much the summary cache may hold (tiles are not cached: PostGIS renders them)."""
        return self.summary_cache.limits

    @cache_limits.setter
    def cache_limits(self, limits: CacheLimits) -> None:
        self.summary_cache.limits = limits

    def close(self) -> None:
        """Close the connection pool and the reading connections (a later call opens new
        ones)."""
        self.database.close()

    def exists(self) -> bool:
        """Whether the schema holds the parcel table."""
        with self.database.transaction() as conn:
            row = first_row(conn.execute("SELECT to_regclass(%s)", (self.parcels,)))
        return row[0] is not None

    def ensure_schema(self) -> None:
        """Bring the schema up to date: the due numbered migrations (webapp.store.migrations),
        the baseline's idempotent statements included."""
        self.migrate()

    def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        """Apply the due migrations, each in one transaction; the versions applied. A parcel
        table from before the Web Mercator copy gets its column, then a VACUUM ANALYZE."""
        with self.database.transaction() as conn:
            missing = (self.parcels, self.location.schema, MERCATOR_COLUMN)
            adding_column = first_row(conn.execute(MERCATOR_MISSING_SQL, missing))[0]
        applied = migrate_postgis(self.database, migrations)
        if adding_column:
            # Adding the column rewrote the table: without a visibility map and statistics,
            # land-use counts would scan the heap (10^6 parcels: 30 -> 140 ms) until autovacuum.
            logger.info("added %s to %s", MERCATOR_COLUMN, self.location.redacted())
            self._vacuum_analyze()
        return applied

    def schema_version(self) -> int:
        """The version in the schema's landgis_meta table; 0 without one or a record."""
        with self.database.autocommit() as conn:
            return read_schema_version(conn, self.location)

    def _where(self, parcel_filter: ParcelFilter | None) -> tuple[str, list]:
        return where_clause(parcel_filter or ParcelFilter(), BBOX_SQL, mark="%s",
                            text_like="ILIKE")

    def _select(self, conn: psycopg.Connection, where: str, params: list, tail: str = "",
                with_geometry: bool = True) -> list[Parcel]:
        geom = "ST_AsBinary(geom, 'NDR')" if with_geometry else "NULL"
        sql = f"SELECT {SELECT_COLUMNS}, {geom} FROM {self.parcels} WHERE {where} {tail}"
        return [parcel_from_row(row) for row in conn.execute(sql, params)]

    def query(self, parcel_filter: ParcelFilter, limit: int | None = None, offset: int = 0,
              with_geometry: bool = True, sort: str = "code",
              after_code: str | None = None) -> ParcelPage:
        def select(conn: psycopg.Connection, where: str, params: list, tail: str
                   ) -> list[Parcel]:
            return self._select(conn, where, params, tail, with_geometry)

        matched, total, parcels = self._page(parcel_filter, limit, offset, sort, after_code,
                                             select)
        return ParcelPage(parcels=parcels, number_matched=matched, total_area_m2=total)

    def feature_page(self, parcel_filter: ParcelFilter, limit: int | None = None,
                     offset: int = 0, sort: str = "code", after_code: str | None = None,
                     decimals: int = GEOJSON_DECIMALS) -> FeaturePage:
        def select(conn: psycopg.Connection, where: str, params: list, tail: str
                   ) -> list[tuple]:
            sql = f"SELECT {FEATURE_SELECT} FROM {self.parcels} WHERE {where} {tail}"
            return conn.execute(sql, [decimals, *params]).fetchall()

        matched, total, rows = self._page(parcel_filter, limit, offset, sort, after_code, select)
        return feature_page_of_rows(rows, matched, total)

    def _page(self, parcel_filter: ParcelFilter, limit: int | None, offset: int, sort: str,
              after_code: str | None, select: Callable[..., list]) -> tuple[int, float, list]:
        """(match count, their area in m², the page as select(conn, where, params, tail)
        reads it) of query() and feature_page()."""
        matched, total = self.summaries.matched(parcel_filter)
        rows: list = []
        if matched and (after_code is not None or offset < matched):
            start = plan_page_start(parcel_filter, offset, after_code, sort, limit,
                                    self.summaries.code_milestones)
            where, params = start.where(*self._where(parcel_filter), mark="%s")
            with self.database.autocommit() as conn:
                rows = select(conn, where, [*params, limit, start.offset],
                              f"ORDER BY {order_by(sort)} LIMIT %s OFFSET %s")
        return matched, float(total), rows  # a float even when summed over no row

    def _compute_matched(self, parcel_filter: ParcelFilter) -> tuple[int, float]:
        where, params = self._where(parcel_filter)
        with self.database.autocommit() as conn:
            matched, total = first_row(conn.execute(
                f"SELECT COUNT(*), COALESCE(SUM(area_m2), 0) FROM {self.parcels} "
                f"WHERE {where}", params))
        return matched, total

    def _compute_milestones(self, parcel_filter: ParcelFilter) -> list[str]:
        where, params = self._where(parcel_filter)
        with self.database.autocommit() as conn:
            return [row[0] for row in conn.execute(milestones_sql(self.parcels, where),
                                                   params)]

    def attribute_table(self, parcel_filter: ParcelFilter, columns: Sequence[str],
                        limit: int) -> pd.DataFrame:
        where, params = self._where(parcel_filter)
        names = ["id", *columns]
        sql = (f"SELECT id, {checked_columns(columns)} FROM {self.parcels} WHERE {where} "
               "LIMIT %s")
        with self.database.autocommit() as conn:
            rows = conn.execute(sql, [*params, limit]).fetchall()
        return pd.DataFrame.from_records(rows, columns=names)

    def parcels_after(self, parcel_filter: ParcelFilter, after_id: int | None, limit: int,
                      with_geometry: bool = True) -> list[Parcel]:
        where, params = self._where(parcel_filter)
        if after_id is not None:
            where, params = f"({where}) AND id > %s", [*params, after_id]
        with self.database.autocommit() as conn:
            return self._select(conn, where, [*params, limit], "ORDER BY id LIMIT %s",
                                with_geometry)

    def get(self, key: int | str, include_drafts: bool = False) -> Parcel | None:
        if isinstance(key, int) and not -2**31 <= key < 2**31:
            return None
        column = "id" if isinstance(key, int) else "code"
        where = f"{column} = %s" + ("" if include_drafts else " AND published = 1")
        with self.database.autocommit() as conn:
            found = self._select(conn, where, [key])
        return found[0] if found else None

    def _compute_bounds(self, parcel_filter: ParcelFilter) -> Bounds | None:
        where, params = self._where(parcel_filter)
        sql = (f"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
               f"(SELECT ST_Extent(geom) AS e FROM {self.parcels} WHERE {where}) AS extent")
        with self.database.autocommit() as conn:
            row = first_row(conn.execute(sql, params))
        return None if row[0] is None else tuple(row)

    def _compute_breakdown(self, parcel_filter: ParcelFilter) -> list[LandUseShare]:
        where, params = self._where(parcel_filter)
        sql = (f"SELECT land_use, COUNT(*), SUM(area_m2) FROM {self.parcels} WHERE {where} "
               "GROUP BY land_use ORDER BY SUM(area_m2) DESC")
        with self.database.autocommit() as conn:
            return [LandUseShare(*row) for row in conn.execute(sql, params)]

    def _compute_supply(self, parcel_filter: ParcelFilter) -> SupplySummary:
        def run(sql: str, params: list) -> list:
            with self.database.autocommit() as conn:
                return conn.execute(sql, params).fetchall()
        return compute_supply(parcel_filter, self._supply_dialect(), self._where, run)

    def _supply_dialect(self) -> SupplyDialect:
        return SupplyDialect(self.parcels, self.location.table(PARCEL_CHANGES), "%s", "id",
                             "%s::jsonb")

    def _compute_supply_groups(self) -> SupplyGroups:
        with self.database.autocommit() as conn:
            return compute_supply_groups(self._supply_dialect(),
                                         lambda sql, params: conn.execute(sql, params).fetchall())

    def streets(self) -> list[str]:
        # A district has a handful of streets and up to 10^6 parcels: hop from one street to
        # the next through the street index (a "loose index scan") instead of reading every
        # row as DISTINCT would (10^6 parcels: 114 ms).
        next_street = (f"SELECT street FROM {self.parcels} WHERE published = 1 AND street > "
                       "{after} ORDER BY street LIMIT 1")
        sql = f"""WITH RECURSIVE found(street) AS (
            (SELECT street FROM {self.parcels} WHERE published = 1 AND street IS NOT NULL
             ORDER BY street LIMIT 1)
            UNION ALL
            SELECT ({next_street.format(after="found.street")}) FROM found
            WHERE found.street IS NOT NULL)
            SELECT street FROM found WHERE street IS NOT NULL"""
        with self.database.autocommit() as conn:
            return [row[0] for row in conn.execute(sql)]

    def count(self, include_drafts: bool = True) -> int:
        where = "true" if include_drafts else "published = 1"
        with self.database.autocommit() as conn:
            sql = f"SELECT COUNT(*) FROM {self.parcels} WHERE {where}"
            return first_row(conn.execute(sql))[0]

    def code_ids(self) -> dict[str, int]:
        with self.database.autocommit() as conn:
            return dict(conn.execute(f"SELECT code, id FROM {self.parcels}").fetchall())

    def _lock_parcels(self, conn: psycopg.Connection) -> None:
        # Writers queue behind each other; readers keep reading the last committed state.
        conn.execute(f"LOCK TABLE {self.parcels} IN SHARE ROW EXCLUSIVE MODE")

    def replace_all(self, parcels: gpd.GeoDataFrame, actor: str | None = None,
                    keep_published: bool = False, source_name: str | None = None) -> int:
        self.ensure_schema()
        with self.database.transaction() as conn:
            self._lock_parcels(conn)
            kept = edits.keep_before_import(conn, self.parcels)
            conn.execute(f"DELETE FROM {self.parcels}")
            copy_parcels(conn, self.parcels, parcels, keep_versions=bool(kept))
            if keep_published:  # drafts stay drafts
                for sql in kept_published_sql(self.parcels, f"pg_temp.{BEFORE_TABLE}"):
                    conn.execute(sql)
            check_parcel_count(conn, self.parcels, len(parcels))
            edits.audit_replacement(conn, self.location, kept, actor or import_actor(),
                                    source_name)
        self._vacuum_analyze()
        self.warm_summaries()
        logger.info("replaced all parcels in %s: %d parcels", self.location.redacted(),
                    len(parcels))
        return len(parcels)

    def _vacuum_analyze(self) -> None:
        # Right after a bulk load: planner statistics, and a visibility map so counts can use
        # index-only scans (autovacuum would come much later). VACUUM runs outside a transaction.
        with self.database.pooled_autocommit() as conn:
            conn.execute(f"VACUUM (ANALYZE) {self.parcels}")

    def upsert(self, parcels: gpd.GeoDataFrame, actor: str | None = None,
               publish_existing: bool = False, source_name: str | None = None) -> UpsertResult:
        self.ensure_schema()
        with self.database.transaction() as conn:
            self._lock_parcels(conn)
            held = first_row(conn.execute(f"SELECT EXISTS (SELECT 1 FROM {self.parcels})"))[0]
            result = upsert_parcels(conn, self.parcels, parcels, publish_existing)
            edits.audit_upsert(conn, self.location, result.changes, actor or import_actor())
            if held:  # the first load of an empty store starts its history
                edits.audit_created(conn, self.location, result.created,
                                    actor or import_actor(), source_name)
        self.warm_summaries()
        return result

    def import_effect(self, parcels: gpd.GeoDataFrame,
                      publish_existing: bool = False) -> ImportEffect:
        if not self.exists():
            return ImportEffect(new=len(parcels))
        with self.database.autocommit() as conn:
            total = first_row(conn.execute(f"SELECT COUNT(*) FROM {self.parcels}"))[0]
            return count_import_effect(parcels,
                                       lambda codes: read_stored(conn, self.parcels, codes),
                                       wkb_of, total, publish_existing)

    def tile(self, z: int, x: int, y: int, parcel_filter: ParcelFilter) -> bytes:
        """One MVT built by PostGIS (ST_AsMVT): same layer, attributes and extent as tiles/mvt."""
        with self.database.autocommit() as conn:
            return render_tile(conn, self.parcels, z, x, y, parcel_filter)

    def update_parcel(self, parcel_id: int, changes: dict[str, object],
                      expected_version: int | None, actor: str, source: str) -> Parcel:
        return edits.update_parcel(self.database, parcel_id, changes, expected_version, actor,
                                   source)

    def changes(self, change_filter: ChangeFilter, limit: int = 50,
                offset: int = 0) -> ChangePage:
        return edits.change_page(self.database, change_filter, limit, offset)

    def get_change(self, change_id: int) -> ParcelChange | None:
        return edits.get_change(self.database, change_id)


def copy_parcels(conn: psycopg.Connection, table: str, parcels: gpd.GeoDataFrame,
                 keep_versions: bool = False) -> None:
    """Insert a prepared frame (ids kept) with COPY, COPY_CHUNK parcels at a time, inside the
    caller's transaction; with keep_versions, parcels keep_before_import kept keep their
    version and update time."""
    names = ", ".join(["id", *COLUMNS, "geom"])
    for start in range(0, len(parcels), COPY_CHUNK):
        chunk = parcels.iloc[start:start + COPY_CHUNK]
        kept = edits.kept_versions(conn, chunk["code"].tolist()) if keep_versions else None
        with conn.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in copy_rows(chunk, kept):
                copy.write_row(row)


def check_parcel_count(conn: psycopg.Connection, table: str, expected: int) -> None:
    """Refuse a write whose table does not hold exactly the expected rows (rolls it back)."""
    rows = first_row(conn.execute(f"SELECT COUNT(*) FROM {table}"))[0]
    if rows != expected:
        raise DataFileError(f"{table}: wrote {rows} rows, expected {expected}")
