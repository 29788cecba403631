"""A new GeoPackage store file: the parcel layer written through GDAL with the parcel schema's
column types and indexes, the staff, context and tile tables beside it, checked, then moved into
place."""

import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from webapp.domain.errors import DataFileError
from webapp.domain.parcel_schema import INDEXED_FIELDS, PARCEL_FIELDS, Kind
from webapp.store.geopackage.bulk import RTREE, extra_json
from webapp.store.geopackage.context_tables import create_context_tables
from webapp.store.geopackage.staff import create_staff_tables
from webapp.store.geopackage.tile_tables import reset_tile_tables
from webapp.store.supply_groups import SUPPLY_INDEX_COLUMNS
from webapp.store.tables import PARCEL_COLUMNS
from webapp.store.tables import PARCELS as LAYER

# GeoPackage 1.3: GDAL before 3.8 (Debian 12, many QGIS installs) warns on 1.4 files and 1.4
# adds nothing landgis uses.
GPKG_DATASET_OPTIONS = {"VERSION": "1.3"}
# Land-use filters count and sum areas from the first index alone, without reading parcel rows.
# Site selection reads its candidates (webapp/selection/table.py TABLE_COLUMNS) from the second
# alone: at 10^6 parcels their rows lie scattered over a 2 GB file, and reading them took twice
# the CPU (15 µs a row, against 8).
# The dashboard's aggregate (webapp/store/supply_groups.py) reads the third alone, in its order
# (10^6 parcels: 1 s, against 6 s through the second and a sort), and each land use and
# street's largest available parcels from its end.
QUERY_INDEXES = (f"CREATE INDEX IF NOT EXISTS idx_{LAYER}_land_use_cover "
                 f"ON {LAYER} (land_use, status, published, area_m2)",
                 f"CREATE INDEX IF NOT EXISTS idx_{LAYER}_selection_cover "
                 f"ON {LAYER} (land_use, status, published, area_m2, street, code, name, "
                 "price_start_wan, far_min, far_max, lease_years)",
                 f"CREATE INDEX IF NOT EXISTS idx_{LAYER}_supply_cover "
                 f"ON {LAYER} {SUPPLY_INDEX_COLUMNS}")
# The SQLite column type of each kind, as GDAL writes the frame's typed columns.
SQLITE_TYPES = {Kind.TEXT: "TEXT", Kind.INTEGER: "INTEGER", Kind.REAL: "REAL",
                Kind.FLAG: "INTEGER", Kind.JSON: "TEXT"}
FRAME_TYPES = {Kind.INTEGER: "Int64", Kind.REAL: "Float64", Kind.FLAG: "int64"}


def create_store_file(parcels: gpd.GeoDataFrame, path: Path) -> None:
    """Create a new store file through GDAL: written to a temporary file, verified, renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp.gpkg", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        write_parcel_layer(parcels, tmp)
        with closing(sqlite3.connect(tmp)) as db:
            check_parcel_counts(db, len(parcels), tmp.name)
            with db:
                create_staff_tables(db)  # accounts and audit trail live in the same file
                create_context_tables(db)  # context layers (roads, river...) too
                reset_tile_tables(db, parcels)  # tile geometry and tile cache too
            db.execute("PRAGMA journal_mode=WAL")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_parcel_layer(parcels: gpd.GeoDataFrame, path: Path) -> None:
    """Write a prepared parcel frame as a new GeoPackage with ids kept and indexes built."""
    # Column selection is copy-on-write: only the columns changed below are copied.
    frame = parcels[["id", *PARCEL_COLUMNS, "geometry"]].rename(columns={"id": "fid"})
    frame["extra"] = extra_json(frame["extra"])
    frame = typed_columns(frame)
    pyogrio.write_dataframe(frame, path, layer=LAYER, driver="GPKG", geometry_type="MultiPolygon",
                            layer_options={"FID": "fid", "SPATIAL_INDEX": "YES"},
                            dataset_options=GPKG_DATASET_OPTIONS)
    with closing(sqlite3.connect(path)) as db, db:
        for column, kind in INDEXED_FIELDS.items():
            unique = "UNIQUE " if kind == "unique" else ""
            db.execute(f"CREATE {unique}INDEX idx_{LAYER}_{column} ON {LAYER} ({column})")
        for statement in QUERY_INDEXES:
            db.execute(statement)
        db.execute(f"ANALYZE {LAYER}")  # index statistics for the query planner


def typed_columns(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Numeric fields as numeric columns even when a file leaves them all empty (else GDAL
    creates TEXT columns, and numbers written later would come back as text); flags as 0/1."""
    for field in PARCEL_FIELDS:
        if field.kind is Kind.FLAG:
            frame[field.name] = frame[field.name].astype(bool).astype("int64")
        elif field.kind in FRAME_TYPES:
            numbers = pd.to_numeric(frame[field.name], errors="raise")
            frame[field.name] = numbers.astype(FRAME_TYPES[field.kind])
    return frame


def check_parcel_counts(db: sqlite3.Connection, expected: int, name: str) -> None:
    """Refuse a write whose table or spatial index does not hold exactly the expected rows."""
    if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        raise DataFileError(f"{name}: integrity check failed after writing")
    rows = db.execute(f"SELECT COUNT(*) FROM {LAYER}").fetchone()[0]
    indexed = db.execute(f"SELECT COUNT(*) FROM {RTREE}").fetchone()[0]
    if rows != expected or indexed != expected:
        raise DataFileError(f"{name}: wrote {rows} rows and {indexed} index entries, "
                            f"expected {expected}")
