"""The pipeline (enquiries, projects, problems, their audit trail) inside the GeoPackage: plain
SQLite tables registered in gpkg_contents with the data type `landgis_pipeline`, so GDAL and
QGIS do not list them as layers; the shared SQL pipeline (webapp.store.pipeline_sql) over the
file's connections. Booleans are 0/1, audit values JSON text."""

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from webapp.store.geopackage.database import GeoPackageFile
from webapp.store.geopackage.registry import register_tables
from webapp.store.pipeline_records import PipelineDatabase
from webapp.store.pipeline_schema import PIPELINE_TABLES, pipeline_statements
from webapp.store.pipeline_sql import SQLPipeline

DATA_TYPE = "landgis_pipeline"
EXTENSION = "landgis_pipeline_tables"
COLUMN_TYPES = {"id": "INTEGER PRIMARY KEY AUTOINCREMENT", "key": "INTEGER", "text": "TEXT",
                "ordered": "TEXT", "real": "REAL", "int": "INTEGER",
                "flag": "INTEGER CHECK ({name} IN (0, 1))", "json": "TEXT"}


def create_pipeline_tables(db: sqlite3.Connection) -> None:
    """Create and register the pipeline tables where they are missing (idempotent)."""
    for statement in pipeline_statements(COLUMN_TYPES, str):
        db.execute(statement)
    register_tables(db, PIPELINE_TABLES, DATA_TYPE, "landgis pipeline data (not a map layer)",
                    EXTENSION, "landgis README: Enquiries and the project pipeline")


class GeoPackagePipelineDatabase(PipelineDatabase):
    """The store file's connections as the shared SQL pipeline uses them: the thread's read
    connection, and IMMEDIATE write transactions (one writer at a time across processes, so a
    version read inside one is still current when the write commits)."""

    def __init__(self, database: GeoPackageFile) -> None:
        self.database = database

    @contextmanager
    def connect_read(self) -> Iterator[sqlite3.Connection]:
        with self.database.read() as db:
            yield db

    @contextmanager
    def connect_write(self) -> Iterator[sqlite3.Connection]:
        with self.database.write_transaction() as db:
            yield db

    def table(self, name: str) -> str:
        return name

    def json_param(self, value: object) -> object:
        return json.dumps(value, ensure_ascii=False)

    def json_value(self, stored: object) -> object:
        return None if stored is None else json.loads(stored)  # type: ignore[arg-type]


def geopackage_pipeline(database: GeoPackageFile) -> SQLPipeline:
    """store.pipeline of a GeoPackage store."""
    return SQLPipeline(GeoPackagePipelineDatabase(database))
