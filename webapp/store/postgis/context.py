"""Context layers in a PostGIS store (store.context): the layer table, the features (one
partition per layer, see context_schema) and the distance work done in the database.

nearest() is one statement: for each parcel a LATERAL nearest-neighbour search (`<->`, walked
through the GiST index of the layer's pieces in its distance CRS: context_pieces), whose `<->`
distance (exact for geometries) is the distance in metres on the ground: no second
ST_Distance. The parcels' outlines are projected once each, the ids one array parameter.
"""

import logging
from collections.abc import Callable, Sequence
from contextlib import suppress

import geopandas as gpd
import pandas as pd
import psycopg
import shapely

from webapp.domain.context import ContextFeature, ContextLayer, Nearest
from webapp.store.context_features import checked_features, stored_layer
from webapp.store.context_store import ContextPage, ContextStore
from webapp.store.postgis.context_pieces import PIECES, pieces_partition_table
from webapp.store.postgis.context_schema import (
    CONTEXT_STATE,
    DISTANCE_COLUMN,
    LAYER_COLUMNS,
    create_partitions_sql,
    partition_table,
)
from webapp.store.postgis.context_tile import render_context_tile
from webapp.store.postgis.database import PostGISDatabase, first_row
from webapp.store.postgis.schema import SRID
from webapp.store.tables import CONTEXT_FEATURES, CONTEXT_LAYERS, PARCELS

logger = logging.getLogger(__name__)

FEATURE_COLUMNS = ["layer", "name", "feature_class", "epsg", "geom"]
BIGINT_LIMIT = 2**63
INTEGER_LIMIT = 2**31


def layer_from_row(row: tuple) -> ContextLayer:
    """A ContextLayer from a row of LAYER_COLUMNS (the generation left out)."""
    name, title, kind, count, bounds, epsg, imported_at, imported_by, source, _ = row
    return ContextLayer(name=name, title=title, kind=kind, feature_count=count,
                        bounds=None if bounds is None else tuple(bounds),
                        distance_epsg=epsg, imported_at=imported_at, imported_by=imported_by,
                        source=source)


def feature_from_row(row: tuple) -> ContextFeature:
    """A ContextFeature from (id, layer, name, feature_class, wkb)."""
    geometry = None if row[4] is None else shapely.from_wkb(bytes(row[4]))
    return ContextFeature(id=row[0], layer=row[1], name=row[2], feature_class=row[3],
                          geometry=geometry)


def text_or_none(series: pd.Series) -> list[str | None]:
    """A text column's values, missing ones (None, or NaN in a pandas 3 str column) as None."""
    return [None if pd.isna(value) else value for value in series.tolist()]


def copy_features(conn: psycopg.Connection, table: str, layer: ContextLayer,
                  features: gpd.GeoDataFrame) -> None:
    """COPY a checked frame's features (context_features.checked_features) into the feature
    table, inside the caller's transaction: geometry as hex EWKB (SRID 4326); PostgreSQL makes
    the distance-CRS and Web Mercator copies."""
    geometries = shapely.set_srid(features.geometry.to_numpy(), SRID)
    ewkb = shapely.to_wkb(geometries, hex=True, include_srid=True).tolist()
    rows = zip(text_or_none(features["name"]), text_or_none(features["feature_class"]), ewkb,
               strict=True)
    with conn.cursor().copy(f"COPY {table} ({', '.join(FEATURE_COLUMNS)}) FROM STDIN") as copy:
        for name, feature_class, geometry in rows:
            copy.write_row((layer.name, name, feature_class, layer.distance_epsg, geometry))


class PostGISContext(ContextStore):
    """Context layers and features in the store's schema; `ensure_schema` creates the tables
    (the store's, before the first write)."""

    def __init__(self, database: PostGISDatabase, ensure_schema: Callable[[], None]) -> None:
        self.database = database
        self.ensure_schema = ensure_schema
        location = database.location
        self.layers_table = location.table(CONTEXT_LAYERS)
        self.features_table = location.table(CONTEXT_FEATURES)
        self.pieces_table = location.table(PIECES)
        self.state_table = location.table(CONTEXT_STATE)
        self.parcels_table = location.table(PARCELS)

    def layers(self) -> list[ContextLayer]:
        try:
            with self.database.autocommit() as conn:
                rows = conn.execute(f"SELECT {LAYER_COLUMNS} FROM {self.layers_table} "
                                    "ORDER BY name").fetchall()
        except psycopg.errors.UndefinedTable:  # before ensure_schema made the tables
            return []
        return [layer_from_row(row) for row in rows]

    def layer(self, name: str) -> ContextLayer | None:
        try:
            with self.database.autocommit() as conn:
                row = conn.execute(f"SELECT {LAYER_COLUMNS} FROM {self.layers_table} "
                                   "WHERE name = %s", (name,)).fetchone()
        except psycopg.errors.UndefinedTable:  # before ensure_schema made the tables
            return None
        return None if row is None else layer_from_row(row)

    def generation(self) -> int:
        try:
            with self.database.autocommit() as conn:
                row = conn.execute(f"SELECT generation FROM {self.state_table} "
                                   "WHERE id = 1").fetchone()
        except psycopg.errors.UndefinedTable:  # before ensure_schema made the tables
            return 0
        return 0 if row is None else row[0]

    def _lock_layers(self, conn: psycopg.Connection) -> None:
        # One context write at a time (two replacing one layer at once would each delete the
        # old features and keep both new sets); readers keep reading the committed state.
        conn.execute(f"LOCK TABLE {self.layers_table} IN SHARE ROW EXCLUSIVE MODE")

    def replace_layer(self, layer: ContextLayer, features: gpd.GeoDataFrame,
                      actor: str) -> ContextLayer:
        features = checked_features(layer, features)
        stored = stored_layer(layer, features, actor)
        self.ensure_schema()
        location = self.database.location
        with self.database.transaction() as conn:
            self._add_partition(conn, layer.name)
        with self.database.transaction() as conn:
            self._add_partition(conn, layer.name)  # locks the layers; rarely adds it again
            conn.execute(
                f"INSERT INTO {self.layers_table} ({LAYER_COLUMNS}) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 0) ON CONFLICT (name) DO UPDATE "
                "SET title = EXCLUDED.title, kind = EXCLUDED.kind, "
                "feature_count = EXCLUDED.feature_count, bounds = EXCLUDED.bounds, "
                "distance_epsg = EXCLUDED.distance_epsg, imported_at = EXCLUDED.imported_at, "
                "imported_by = EXCLUDED.imported_by, source = EXCLUDED.source",
                (stored.name, stored.title, stored.kind, stored.feature_count,
                 None if stored.bounds is None else list(stored.bounds), stored.distance_epsg,
                 stored.imported_at, stored.imported_by, stored.source))
            # The pieces in one statement (the row trigger then finds none left to delete).
            conn.execute(f"DELETE FROM {self.pieces_table} WHERE layer = %s", (layer.name,))
            conn.execute(f"DELETE FROM {self.features_table} WHERE layer = %s", (layer.name,))
            if stored.distance_epsg is not None:
                copy_features(conn, self.features_table, stored, features)
            row = first_row(conn.execute(
                f"UPDATE {self.layers_table} SET generation = (SELECT generation FROM "
                f"{self.state_table} WHERE id = 1) WHERE name = %s RETURNING {LAYER_COLUMNS}",
                (layer.name,)))
        self._analyze(layer.name)
        logger.info("replaced context layer %s in %s: %d features", layer.name,
                    location.redacted(), stored.feature_count)
        return layer_from_row(row)

    def _add_partition(self, conn: psycopg.Connection, name: str) -> None:
        # A new partition locks the whole feature table (ACCESS EXCLUSIVE) until its
        # transaction ends, so replace_layer first adds it in a transaction of its own:
        # readers of other layers wait milliseconds, not for the import. (An import that
        # fails leaves it empty; one whose partition a delete dropped since adds it again.)
        self._lock_layers(conn)
        location = self.database.location
        tables = (partition_table(location, name), pieces_partition_table(location, name))
        if None in first_row(conn.execute("SELECT to_regclass(%s), to_regclass(%s)", tables)):
            for statement in create_partitions_sql(location, name):
                conn.execute(statement)

    def _analyze(self, name: str) -> None:
        # Planner statistics of the fresh partition at once (autovacuum would come later).
        with self.database.pooled_autocommit() as conn, \
                suppress(psycopg.errors.UndefinedTable):  # deleted meanwhile
            location = self.database.location
            conn.execute(f"ANALYZE {partition_table(location, name)}, "
                         f"{pieces_partition_table(location, name)}")

    def delete_layer(self, name: str) -> bool:
        if self.layer(name) is None:
            return False
        with self.database.transaction() as conn:
            self._lock_layers(conn)
            # Dropping the partition locks the feature table until this short transaction
            # ends: readers wait rather than see a half-removed layer. No statement on the
            # feature table fires its trigger, so the generation is bumped here.
            location = self.database.location
            conn.execute(f"DROP TABLE IF EXISTS {partition_table(location, name)}, "
                         f"{pieces_partition_table(location, name)}")
            deleted = conn.execute(f"DELETE FROM {self.layers_table} WHERE name = %s",
                                   (name,)).rowcount
            conn.execute(f"UPDATE {self.state_table} SET generation = generation + 1 "
                         "WHERE id = 1")
        return bool(deleted)

    def features(self, name: str, bbox: tuple[float, float, float, float] | None = None,
                 limit: int | None = None, offset: int = 0) -> ContextPage:
        where, params = "layer = %s", list[object]([name])
        if bbox is not None:
            envelope = f"ST_MakeEnvelope(%s, %s, %s, %s, {SRID})"
            where += f" AND geom && {envelope} AND ST_Intersects(geom, {envelope})"
            params += [*bbox, *bbox]
        try:
            with self.database.transaction() as conn:
                # One snapshot for the count and the page: a layer replaced between the two
                # statements would otherwise give the old count with the new features.
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                matched = first_row(conn.execute(
                    f"SELECT COUNT(*) FROM {self.features_table} WHERE {where}", params))[0]
                rows = conn.execute(
                    f"SELECT id, layer, name, feature_class, ST_AsBinary(geom, 'NDR') "
                    f"FROM {self.features_table} WHERE {where} ORDER BY id "
                    "LIMIT %s OFFSET %s", [*params, limit, offset]).fetchall()
        except psycopg.errors.UndefinedTable:  # before ensure_schema made the tables
            return ContextPage([], 0)
        return ContextPage([feature_from_row(row) for row in rows], matched)

    def feature(self, name: str, feature_id: int) -> ContextFeature | None:
        if not -BIGINT_LIMIT <= feature_id < BIGINT_LIMIT:
            return None
        try:
            with self.database.autocommit() as conn:
                row = conn.execute(
                    f"SELECT id, layer, name, feature_class, ST_AsBinary(geom, 'NDR') "
                    f"FROM {self.features_table} WHERE layer = %s AND id = %s",
                    (name, feature_id)).fetchone()
        except psycopg.errors.UndefinedTable:  # before ensure_schema made the tables
            return None
        return None if row is None else feature_from_row(row)

    def nearest(self, name: str, parcel_ids: Sequence[int]) -> dict[int, Nearest]:
        ids = sorted({int(i) for i in parcel_ids if -INTEGER_LIMIT <= i < INTEGER_LIMIT})
        if not ids:
            return {}
        try:
            with self.database.autocommit() as conn:
                rows = conn.execute(self.nearest_sql(), {"name": name, "ids": ids}).fetchall()
        except psycopg.errors.UndefinedTable:  # before ensure_schema made the tables
            return {}
        return {parcel_id: Nearest(distance_m=float(distance), feature_id=feature_id,
                                   feature_name=feature_name)
                for parcel_id, distance, feature_id, feature_name in rows}

    def nearest_sql(self) -> str:
        """For each parcel of %(ids)s, the nearest feature of layer %(name)s: (parcel id,
        distance in metres, feature id, feature name). The search walks the layer's pieces
        (context_pieces: short parts of long roads and big outlines, whose own boxes would
        cover half the district) through their GiST index; the `<->` distance (exact for
        geometries) to the nearest piece is the distance to its feature. The layer's name is a
        parameter the planner sees, so only its partitions are read. Of features at the same
        distance (a parcel inside two polygons) any one is taken: ordering ties by id too
        would sort the whole layer instead of walking the index."""
        return f"""SELECT p.id, n.distance_m, c.id, c.name
            FROM {self.layers_table} l
            JOIN {self.parcels_table} p ON p.id = ANY(%(ids)s) AND p.geom IS NOT NULL
            CROSS JOIN LATERAL (  -- OFFSET 0 keeps it a sub-query: one projection a parcel
                SELECT ST_Transform(p.geom, l.distance_epsg) AS geom OFFSET 0) AS pm
            CROSS JOIN LATERAL (
                SELECT k.feature_id, k.{DISTANCE_COLUMN} <-> pm.geom AS distance_m
                FROM {self.pieces_table} k
                WHERE k.layer = %(name)s
                ORDER BY distance_m
                LIMIT 1) AS n
            JOIN {self.features_table} c ON c.layer = %(name)s AND c.id = n.feature_id
            WHERE l.name = %(name)s"""

    def tile(self, z: int, x: int, y: int, names: Sequence[str] = ()) -> bytes:
        try:
            with self.database.autocommit() as conn:
                return render_context_tile(conn, self.database.location, z, x, y, names)
        except psycopg.errors.UndefinedTable:  # before ensure_schema made the tables
            return b""
