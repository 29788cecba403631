"""GeoPackage exports: written chunk by chunk into a temporary file, then sent in blocks.

A GeoPackage (SQLite) cannot be sent while it is written, so its first byte leaves when the
whole file is done: that wait grows with the number of parcels, the memory does not.
"""

import tempfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import Parcel
from webapp.exporting.records import COLUMN_TYPES, export_record
from webapp.exporting.writers import Chunks
from webapp.store.geopackage.file import GPKG_DATASET_OPTIONS

BLOCK_BYTES = 256 * 1024
DTYPES = {int: "Int64", float: "Float64", str: object}


def chunk_frame(chunk: list[Parcel], table: LandUseTable, language: str) -> gpd.GeoDataFrame:
    """A chunk as an EPSG:4326 frame whose columns keep their type even when all empty (else
    GDAL would make an empty first chunk's number columns text)."""
    records = [export_record(parcel, table, language) for parcel in chunk]
    columns = {name: pd.array([record[name] for record in records], dtype=DTYPES[kind])
               for name, kind in COLUMN_TYPES.items()}
    return gpd.GeoDataFrame(columns, geometry=[parcel.geometry for parcel in chunk], crs=4326)


def write_geopackage(chunks: Chunks, table: LandUseTable, language: str, path: Path) -> None:
    """Write every chunk into one 'parcels' layer (MultiPolygon, EPSG:4326) at path; no chunk
    at all gives an empty layer with the same columns."""
    written = False
    for chunk in chunks:
        _write_frame(chunk_frame(chunk, table, language), path, append=written)
        written = True
    if not written:
        _write_frame(chunk_frame([], table, language), path, append=False)


def _write_frame(frame: gpd.GeoDataFrame, path: Path, append: bool) -> None:
    pyogrio.write_dataframe(frame, path, layer="parcels", driver="GPKG",
                            geometry_type="MultiPolygon", promote_to_multi=True, append=append,
                            dataset_options=None if append else GPKG_DATASET_OPTIONS)


def geopackage_pieces(chunks: Chunks, table: LandUseTable, language: str,
                      work_folder: Path) -> Iterator[bytes]:
    """The GeoPackage's bytes in blocks; its temporary folder (inside work_folder) is removed
    when the last block is sent or the client goes away (the generator is closed)."""
    work_folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="export-", dir=work_folder) as folder:
        path = Path(folder) / "parcels.gpkg"
        write_geopackage(chunks, table, language, path)
        with path.open("rb") as file:
            while block := file.read(BLOCK_BYTES):
                yield block
