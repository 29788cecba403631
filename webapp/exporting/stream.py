"""An export as a stream of byte pieces, reading the store CHUNK_PARCELS parcels at a time."""

from collections.abc import Iterator
from pathlib import Path

from webapp.domain.filters import ParcelFilter
from webapp.domain.landuse import LandUseTable
from webapp.exporting.gpkg_file import geopackage_pieces
from webapp.exporting.writers import csv_pieces, geojson_pieces
from webapp.store.interface import ParcelStore

# Parcels read per store call, by format. A GeoJSON chunk of 5,000 realistic parcels (20
# vertices on average) held ~90 MB at its peak, one of 1,000 ~20 MB; a GeoPackage is appended
# to once per chunk, and each append costs a GDAL open (10^5 parcels: 57 s in chunks of 5,000,
# 147 s in chunks of 1,000).
CHUNK_PARCELS = {"csv": 5000, "geojson": 1000, "gpkg": 5000}


def export_pieces(store: ParcelStore, parcel_filter: ParcelFilter, table: LandUseTable,
                  language: str, file_format: str, work_folder: Path) -> Iterator[bytes]:
    """The matching parcels in file_format (a key of writers.FORMATS), piece by piece.

    Nothing is read before the first piece is asked for; GeoPackages are built in a temporary
    folder inside work_folder.
    """
    with_geometry = file_format != "csv"  # the CSV has areas, not shapes
    chunks = store.iter_parcels(parcel_filter, CHUNK_PARCELS[file_format],
                                with_geometry=with_geometry)
    if file_format == "csv":
        return csv_pieces(chunks, table, language)
    if file_format == "geojson":
        return geojson_pieces(chunks, table, language)
    return geopackage_pieces(chunks, table, language, work_folder)
