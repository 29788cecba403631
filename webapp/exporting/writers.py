"""Write parcels to export formats piece by piece: CSV and GeoJSON as they are read."""

import csv
import io
import json
from collections.abc import Iterable, Iterator

import shapely

from webapp.domain.export_columns import HEADERS, NAME_COLUMNS, header, value_name
from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import Parcel
from webapp.domain.spreadsheet import neutralise_cell
from webapp.exporting.records import export_record

FORMATS = {
    "geojson": ("application/geo+json", "geojson"),
    "gpkg": ("application/geopackage+sqlite3", "gpkg"),
    "csv": ("text/csv", "csv"),  # Flask adds "; charset=utf-8" to text types
}
GEOJSON_START = b'{"type":"FeatureCollection","name":"parcels","features":['
GEOJSON_END = b"]}"
CSV_COLUMNS = tuple(HEADERS)  # the export record's columns and the names beside the codes

Chunks = Iterable[list[Parcel]]


def csv_record(parcel: Parcel, table: LandUseTable, language: str) -> list[object]:
    """One parcel's CSV row in CSV_COLUMNS order: the export record with the status and supply
    method named beside their codes."""
    record = export_record(parcel, table, language)
    for name_column, code_column in NAME_COLUMNS.items():
        if name_column not in record:
            record[name_column] = value_name(code_column, record[code_column], language)
    return [record[column] for column in CSV_COLUMNS]


def csv_pieces(chunks: Chunks, table: LandUseTable, language: str) -> Iterator[bytes]:
    """CSV for people, with a UTF-8 BOM (spreadsheet programs then show the Chinese text):
    headers in the language, names beside codes; the header, then one piece per chunk. Text
    that a spreadsheet would run as a formula gets a leading '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header(column, language) for column in CSV_COLUMNS])
    yield ("\ufeff" + _take(buffer)).encode("utf-8")
    for chunk in chunks:
        for parcel in chunk:
            writer.writerow([neutralise_cell(value)
                             for value in csv_record(parcel, table, language)])
        yield _take(buffer).encode("utf-8")


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def geojson_pieces(chunks: Chunks, table: LandUseTable, language: str) -> Iterator[bytes]:
    """An RFC 7946 FeatureCollection in lon/lat written feature by feature, one piece per
    chunk; the record's columns are the properties."""
    yield GEOJSON_START
    first = True
    for chunk in chunks:
        geometries = shapely.to_geojson([parcel.geometry for parcel in chunk])
        features = [
            '{"type":"Feature","properties":'
            + json.dumps(export_record(parcel, table, language), ensure_ascii=False,
                         separators=(",", ":"))
            + ',"geometry":' + (geometry or "null") + "}"
            for parcel, geometry in zip(chunk, geometries, strict=True)]
        yield (("" if first else ",") + ",".join(features)).encode("utf-8")
        first = False
    yield GEOJSON_END


def export_filename(file_format: str, today: str) -> str:
    """Download file name such as parcels-20261125.geojson."""
    return f"parcels-{today}.{FORMATS[file_format][1]}"
