"""The context-layer tables of a GeoPackage store.

- landgis_context_layers: one row per layer (title, kind, count, bounds, distance CRS, import
  fields, the generation it was written at); landgis data, not a map layer.
- context_features: a real GeoPackage feature table (geometry column `geom`, type GEOMETRY,
  EPSG:4326, with the GeoPackage R-tree and its triggers) so QGIS and GDAL open it as a layer;
  `geom_m` holds each geometry as WKB in its layer's distance CRS, prepared at import.
- landgis_context_state: the generation, bumped by every context write (never by parcels).
"""

import sqlite3

from webapp.store.geopackage.registry import register_tables, schema_has
from webapp.store.tables import CONTEXT_FEATURES as FEATURES
from webapp.store.tables import CONTEXT_LAYERS as LAYERS

STATE = "landgis_context_state"
RTREE = f"rtree_{FEATURES}_geom"
DATA_TYPE = "landgis_context"
EXTENSION = "landgis_context_tables"
RTREE_EXTENSION = ("gpkg_rtree_index", "http://www.geopackage.org/spec120/#extension_rtree",
                   "write-only")

TABLES = (
    f"""CREATE TABLE IF NOT EXISTS {LAYERS} (
        name TEXT PRIMARY KEY NOT NULL,
        title TEXT NOT NULL,
        kind TEXT NOT NULL,
        feature_count INTEGER NOT NULL,
        minx REAL, miny REAL, maxx REAL, maxy REAL,
        distance_epsg INTEGER,
        imported_at TEXT,
        imported_by TEXT,
        source TEXT,
        generation INTEGER NOT NULL)""",
    f"""CREATE TABLE IF NOT EXISTS {FEATURES} (
        fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
        geom GEOMETRY,
        layer TEXT NOT NULL,
        name TEXT,
        feature_class TEXT,
        geom_m BLOB)""",
    f"CREATE INDEX IF NOT EXISTS idx_{FEATURES}_layer ON {FEATURES} (layer)",
    f"CREATE TABLE IF NOT EXISTS {STATE} (id INTEGER PRIMARY KEY CHECK (id = 1), "
    "generation INTEGER NOT NULL)",
    f"INSERT OR IGNORE INTO {STATE} (id, generation) VALUES (1, 0)",
)

# The R-tree and the triggers that keep it in step, as GDAL writes them for the parcel layer
# (GeoPackage 1.3, extension gpkg_rtree_index).
_BOX = ('NEW."fid", ST_MinX(NEW."geom"), ST_MaxX(NEW."geom"), ST_MinY(NEW."geom"), '
        'ST_MaxY(NEW."geom")')
_PRESENT = 'NEW."geom" NOTNULL AND NOT ST_IsEmpty(NEW."geom")'
_ABSENT = 'NEW."geom" ISNULL OR ST_IsEmpty(NEW."geom")'
SPATIAL_INDEX = (
    f'CREATE VIRTUAL TABLE IF NOT EXISTS "{RTREE}" USING rtree(id, minx, maxx, miny, maxy)',
    f'CREATE TRIGGER IF NOT EXISTS "{RTREE}_insert" AFTER INSERT ON "{FEATURES}" '
    f'WHEN ({_PRESENT}) BEGIN INSERT OR REPLACE INTO "{RTREE}" VALUES ({_BOX}); END',
    f'CREATE TRIGGER IF NOT EXISTS "{RTREE}_update1" AFTER UPDATE OF "geom" ON "{FEATURES}" '
    f'WHEN OLD."fid" = NEW."fid" AND ({_PRESENT}) '
    f'BEGIN INSERT OR REPLACE INTO "{RTREE}" VALUES ({_BOX}); END',
    f'CREATE TRIGGER IF NOT EXISTS "{RTREE}_update2" AFTER UPDATE OF "geom" ON "{FEATURES}" '
    f'WHEN OLD."fid" = NEW."fid" AND ({_ABSENT}) '
    f'BEGIN DELETE FROM "{RTREE}" WHERE id = OLD."fid"; END',
    f'CREATE TRIGGER IF NOT EXISTS "{RTREE}_update3" AFTER UPDATE ON "{FEATURES}" '
    f'WHEN OLD."fid" != NEW."fid" AND ({_PRESENT}) '
    f'BEGIN DELETE FROM "{RTREE}" WHERE id = OLD."fid"; '
    f'INSERT OR REPLACE INTO "{RTREE}" VALUES ({_BOX}); END',
    f'CREATE TRIGGER IF NOT EXISTS "{RTREE}_update4" AFTER UPDATE ON "{FEATURES}" '
    f'WHEN OLD."fid" != NEW."fid" AND ({_ABSENT}) '
    f'BEGIN DELETE FROM "{RTREE}" WHERE id IN (OLD."fid", NEW."fid"); END',
    f'CREATE TRIGGER IF NOT EXISTS "{RTREE}_delete" AFTER DELETE ON "{FEATURES}" '
    f'WHEN OLD."geom" NOT NULL BEGIN DELETE FROM "{RTREE}" WHERE id = OLD."fid"; END',
)


def has_context_tables(db: sqlite3.Connection) -> bool:
    """Whether the store file holds the context tables (stores made before them do not)."""
    return schema_has(db, STATE)


def create_context_tables(db: sqlite3.Connection) -> None:
    """Create and register the context tables where they are missing (idempotent, cheap)."""
    for statement in (*TABLES, *SPATIAL_INDEX):
        db.execute(statement)
    register_tables(db, (LAYERS, STATE), DATA_TYPE, "landgis context layers (not a map layer)",
                    EXTENSION, "landgis README: Context layers and site selection")
    db.execute("INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
               "description, srs_id) VALUES (?, 'features', ?, ?, 4326)",
               (FEATURES, FEATURES, "landgis context layers: roads, river, interchanges..."))
    db.execute("INSERT OR IGNORE INTO gpkg_geometry_columns (table_name, column_name, "
               "geometry_type_name, srs_id, z, m) VALUES (?, 'geom', 'GEOMETRY', 4326, 0, 0)",
               (FEATURES,))
    has_extensions = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                "name = 'gpkg_extensions'").fetchone()
    if has_extensions and not db.execute(
            "SELECT 1 FROM gpkg_extensions WHERE table_name = ? AND extension_name = ?",
            (FEATURES, RTREE_EXTENSION[0])).fetchone():
        db.execute("INSERT INTO gpkg_extensions (table_name, column_name, extension_name, "
                   "definition, scope) VALUES (?, 'geom', ?, ?, ?)", (FEATURES, *RTREE_EXTENSION))


def bump_generation(db: sqlite3.Connection) -> int:
    """Count one more context write (inside the caller's transaction); the new generation."""
    db.execute(f"UPDATE {STATE} SET generation = generation + 1 WHERE id = 1")
    return db.execute(f"SELECT generation FROM {STATE} WHERE id = 1").fetchone()[0]


def refresh_extent(db: sqlite3.Connection) -> None:
    """The feature table's extent and last change in gpkg_contents, as GIS clients read them."""
    db.execute("UPDATE gpkg_contents SET (min_x, min_y, max_x, max_y) = "
               f"(SELECT MIN(minx), MIN(miny), MAX(maxx), MAX(maxy) FROM {RTREE}), "
               "last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE table_name = ?",
               (FEATURES,))
