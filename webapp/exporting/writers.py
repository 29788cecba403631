"""Write parcels to export formats; every writer returns the file's bytes."""

import csv
import io
import json
import tempfile
from dataclasses import asdict
from pathlib import Path

import geopandas as gpd
import pyogrio

from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import ATTRIBUTE_TYPES, Parcel
from webapp.store.geopackage import GPKG_DATASET_OPTIONS

FORMATS = {
    "geojson": ("application/geo+json", "geojson"),
    "gpkg": ("application/geopackage+sqlite3", "gpkg"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}


def export_records(parcels: list[Parcel], table: LandUseTable, language: str) -> list[dict]:
    """One flat record per parcel: public attributes, land-use name and areas in three units."""
    records = []
    for parcel in parcels:
        values = asdict(parcel)
        record = {"id": parcel.id, **{k: values[k] for k in ATTRIBUTE_TYPES}}
        record["land_use_name"] = table.name(parcel.land_use, language)
        record["area_m2"] = round(parcel.area_m2, 2)
        record["area_mu"] = round(parcel.area_mu, 2)
        record["area_ha"] = round(parcel.area_ha, 4)
        record["updated_at"] = parcel.updated_at
        records.append(record)
    return records


def to_geojson(parcels: list[Parcel], records: list[dict]) -> bytes:
    """An RFC 7946 FeatureCollection (lon/lat, 7 decimals)."""
    frame = gpd.GeoDataFrame(records, geometry=[p.geometry for p in parcels], crs=4326)
    text = frame.to_json(drop_id=True, ensure_ascii=False, to_wgs84=True)
    document = json.loads(text)
    document["name"] = "parcels"
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def to_geopackage(parcels: list[Parcel], records: list[dict]) -> bytes:
    """A GeoPackage with one 'parcels' layer in EPSG:4326, written by GDAL."""
    frame = gpd.GeoDataFrame(records, geometry=[p.geometry for p in parcels], crs=4326)
    with tempfile.TemporaryDirectory(prefix="landgis-export-") as folder:
        path = Path(folder) / "parcels.gpkg"
        pyogrio.write_dataframe(frame, path, layer="parcels", driver="GPKG",
                                geometry_type="MultiPolygon", dataset_options=GPKG_DATASET_OPTIONS)
        return path.read_bytes()


def to_csv(records: list[dict]) -> bytes:
    """CSV with a UTF-8 BOM so spreadsheet software shows the Chinese text."""
    buffer = io.StringIO()
    if records:
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_parcels(parcels: list[Parcel], table: LandUseTable, language: str,
                   file_format: str) -> bytes:
    """The parcels in one of FORMATS."""
    records = export_records(parcels, table, language)
    if file_format == "geojson":
        return to_geojson(parcels, records)
    if file_format == "gpkg":
        return to_geopackage(parcels, records)
    return to_csv(records)


def export_filename(file_format: str, today: str) -> str:
    """Download file name such as parcels-20261125.geojson."""
    return f"parcels-{today}.{FORMATS[file_format][1]}"
