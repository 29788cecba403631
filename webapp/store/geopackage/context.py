"""GeoPackageContext: context layers in the store file (webapp.store.geopackage.context_tables),
written in one transaction per layer, found through the GeoPackage R-tree, measured against
with an in-memory STRtree of their projected geometry (context_nearest)."""

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import geopandas as gpd
import shapely

from webapp.domain.context import ContextFeature, ContextLayer, Nearest
from webapp.domain.errors import NotFoundError
from webapp.store.context_features import checked_features, projected, stored_layer
from webapp.store.context_store import ContextPage, ContextStore
from webapp.store.geopackage.blob import geometry_from_gpkg_blob, gpkg_blobs_from_geometries
from webapp.store.geopackage.context_nearest import NearestIndexes, parcel_geometries
from webapp.store.geopackage.context_tables import (
    RTREE,
    STATE,
    bump_generation,
    create_context_tables,
    has_context_tables,
    refresh_extent,
)
from webapp.store.geopackage.database import GeoPackageFile
from webapp.store.tables import CONTEXT_FEATURES as FEATURES
from webapp.store.tables import CONTEXT_LAYERS as LAYERS
from webapp.tiles.context_mvt import encode_context_tile
from webapp.tiles.grid import TileAddress, tile_bounds
from webapp.tiles.mvt import BUFFER_FRACTION

logger = logging.getLogger(__name__)

LAYER_COLUMNS = ("name, title, kind, feature_count, minx, miny, maxx, maxy, distance_epsg, "
                 "imported_at, imported_by, source")
FEATURE_COLUMNS = "fid, layer, name, feature_class, geom"
TILE_COLUMNS = "f.fid, f.layer, f.name, f.feature_class, f.geom"
# A feature meets the bbox when its geometry does: the R-tree finds the candidates, those whose
# envelope lies inside the box meet it, only the rest have their geometry tested.
BBOX_SQL = (f"fid IN (SELECT b.id FROM {RTREE} b WHERE b.maxx >= ? AND b.maxy >= ? "
            "AND b.minx <= ? AND b.miny <= ? "
            "AND ((b.minx >= ? AND b.miny >= ? AND b.maxx <= ? AND b.maxy <= ?) "
            f"OR landgis_intersects_box((SELECT geom FROM {FEATURES} WHERE fid = b.id), "
            "?, ?, ?, ?)))")
SQLITE_INTEGERS = range(-2**63, 2**63)


def _layer(row: tuple) -> ContextLayer:
    name, title, kind, count, minx, miny, maxx, maxy, epsg, at, by, source = row
    bounds = None if minx is None else (minx, miny, maxx, maxy)
    return ContextLayer(name, title, kind, count, bounds, epsg, at, by, source)


def _feature(row: tuple) -> ContextFeature:
    fid, layer, name, feature_class, blob = row
    return ContextFeature(fid, layer, name, feature_class, geometry_from_gpkg_blob(blob))


class GeoPackageContext(ContextStore):
    """Context layers in a GeoPackage store file, beside (and never touching) the parcels."""

    def __init__(self, database: GeoPackageFile) -> None:
        self.database = database
        self.indexes = NearestIndexes()

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection | None]:
        """A read connection in one snapshot, or None when the file or its context tables
        do not exist yet (no layers then)."""
        if not self.database.path.is_file():
            yield None
            return
        with self.database.read() as db:
            if not has_context_tables(db):
                yield None
                return
            db.execute("BEGIN")  # every statement below reads the same committed state
            yield db

    def layers(self) -> list[ContextLayer]:
        with self._snapshot() as db:
            if db is None:
                return []
            rows = db.execute(f"SELECT {LAYER_COLUMNS} FROM {LAYERS} ORDER BY name").fetchall()
        return [_layer(row) for row in rows]

    def layer(self, name: str) -> ContextLayer | None:
        with self._snapshot() as db:
            row = None if db is None else db.execute(
                f"SELECT {LAYER_COLUMNS} FROM {LAYERS} WHERE name = ?", (name,)).fetchone()
        return None if row is None else _layer(row)

    def replace_layer(self, layer: ContextLayer, features: gpd.GeoDataFrame,
                      actor: str) -> ContextLayer:
        checked = checked_features(layer, features)
        stored = stored_layer(layer, checked, actor)
        geometries = checked.geometry.to_numpy()
        blobs = gpkg_blobs_from_geometries(geometries)
        measured = ([] if stored.distance_epsg is None else
                    shapely.to_wkb(projected(geometries, stored.distance_epsg)).tolist())
        if not self.database.path.is_file():
            raise NotFoundError("the store holds no parcels yet: import parcels before "
                                "context layers")
        with self.database.write_transaction() as db:
            create_context_tables(db)  # a store file from before context layers
            generation = bump_generation(db)
            db.execute(f"DELETE FROM {FEATURES} WHERE layer = ?", (stored.name,))
            db.executemany(f"INSERT INTO {FEATURES} (geom, layer, name, feature_class, geom_m) "
                           "VALUES (?, ?, ?, ?, ?)",
                           zip(blobs, [stored.name] * len(blobs), checked["name"],
                               checked["feature_class"], measured, strict=True))
            db.execute(f"INSERT OR REPLACE INTO {LAYERS} ({LAYER_COLUMNS}, generation) "
                       f"VALUES ({', '.join('?' * 13)})",
                       (stored.name, stored.title, stored.kind, stored.feature_count,
                        *(stored.bounds or (None,) * 4), stored.distance_epsg,
                        stored.imported_at, stored.imported_by, stored.source, generation))
            refresh_extent(db)
        self.indexes.forget(stored.name)
        logger.info("context layer %s replaced by %s: %d features", stored.name, actor,
                    stored.feature_count)
        return stored

    def delete_layer(self, name: str) -> bool:
        if not self.database.path.is_file():
            return False
        with self.database.write_transaction() as db:
            if not has_context_tables(db):
                return False
            if not db.execute(f"DELETE FROM {LAYERS} WHERE name = ?", (name,)).rowcount:
                return False
            db.execute(f"DELETE FROM {FEATURES} WHERE layer = ?", (name,))
            bump_generation(db)
            refresh_extent(db)
        self.indexes.forget(name)
        logger.info("context layer %s deleted", name)
        return True

    def features(self, name: str, bbox: tuple[float, float, float, float] | None = None,
                 limit: int | None = None, offset: int = 0) -> ContextPage:
        where = "layer = ?"
        params: list[object] = [name]
        if bbox is not None:
            minx, miny, maxx, maxy = bbox
            where += f" AND {BBOX_SQL}"
            params += [minx, miny, maxx, maxy, minx, miny, maxx, maxy, minx, miny, maxx, maxy]
        with self._snapshot() as db:
            if db is None:
                return ContextPage([], 0)
            matched = db.execute(f"SELECT COUNT(*) FROM {FEATURES} WHERE {where}",
                                 params).fetchone()[0]
            rows = db.execute(f"SELECT {FEATURE_COLUMNS} FROM {FEATURES} WHERE {where} "
                              "ORDER BY fid LIMIT ? OFFSET ?",
                              [*params, -1 if limit is None else limit, offset]).fetchall()
        return ContextPage([_feature(row) for row in rows], matched)

    def feature(self, name: str, feature_id: int) -> ContextFeature | None:
        if feature_id not in SQLITE_INTEGERS:
            return None
        with self._snapshot() as db:
            row = None if db is None else db.execute(
                f"SELECT {FEATURE_COLUMNS} FROM {FEATURES} WHERE fid = ? AND layer = ?",
                (feature_id, name)).fetchone()
        return None if row is None else _feature(row)

    def tile(self, z: int, x: int, y: int, names: Sequence[str] = ()) -> bytes:
        address = TileAddress(z, x, y)
        west, south, east, north = tile_bounds(address, BUFFER_FRACTION)
        where = "r.maxx >= ? AND r.maxy >= ? AND r.minx <= ? AND r.miny <= ?"
        params: list[object] = [west, south, east, north]
        if names:
            where += f" AND f.layer IN ({', '.join('?' * len(names))})"
            params += list(names)
        with self._snapshot() as db:
            rows, kinds = [], {}
            if db is not None:
                rows = db.execute(f"SELECT {TILE_COLUMNS} FROM {RTREE} r CROSS JOIN {FEATURES} f "
                                  f"ON f.fid = r.id WHERE {where} ORDER BY f.fid",
                                  params).fetchall()
                kinds = dict(db.execute(f"SELECT name, kind FROM {LAYERS}").fetchall())
        return encode_context_tile([_feature(row) for row in rows], kinds, address)

    def nearest(self, name: str, parcel_ids: Sequence[int]) -> dict[int, Nearest]:
        with self._snapshot() as db:
            if db is None:
                return {}
            row = db.execute(f"SELECT generation, distance_epsg FROM {LAYERS} WHERE name = ? "
                             "AND feature_count > 0", (name,)).fetchone()
            if row is None:
                return {}
            index = self.indexes.get(db, name, *row)
            ids, geometries = parcel_geometries(db, parcel_ids)
        return index.nearest(ids, geometries)

    def generation(self) -> int:
        with self._snapshot() as db:
            if db is None:
                return 0
            return db.execute(f"SELECT generation FROM {STATE} WHERE id = 1").fetchone()[0]
