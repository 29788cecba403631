"""Upload files an attacker would send (issue 14 §3), built in tmp_path by the tests.

Each reads, through GDAL's VRT or CSV drivers, a "secret" file the test creates: a CSV whose
one row has a parcel code, a land use and a geometry, so that before the fix the secret comes
back in the import report ("unknown land use “…”") or is imported as a parcel.
"""

import json
import sqlite3
import zipfile
from pathlib import Path

import pyogrio

from tests.importing.bureau_files import expected_lonlat_frame

SECRET = "SECRET-7f3a9c-topsecret"
SQUARE = "POLYGON((118.5 31.7,118.501 31.7,118.501 31.701,118.5 31.701,118.5 31.7))"


def write_secret(folder: Path) -> Path:
    """A CSV file outside the upload holding SECRET in every text column."""
    path = folder / "secret_store.csv"
    path.write_text(f'code,land_use,name,WKT\n"{SECRET}-code","{SECRET}","{SECRET}",'
                    f'"{SQUARE}"\n', encoding="utf-8")
    return path


def vrt_document(source: Path | str, layer: str) -> str:
    """An OGR VRT document reading `layer` of `source` (single quotes: it fits in JSON text)."""
    return (f"<OGRVRTDataSource><OGRVRTLayer name='parcels'><SrcDataSource>{source}"
            f"</SrcDataSource><SrcLayer>{layer}</SrcLayer><GeometryType>wkbPolygon"
            "</GeometryType><GeometryField encoding='WKT' field='WKT'/><LayerSRS>EPSG:4326"
            "</LayerSRS></OGRVRTLayer></OGRVRTDataSource>")


def vrt_in_json(folder: Path, secret: Path, name: str = "parcels.json",
                collection: bool = True) -> Path:
    """Valid JSON wrapping a VRT document in a string value (a FeatureCollection or not)."""
    document = {"note": vrt_document(secret, secret.stem)}
    if collection:
        document = {"type": "FeatureCollection", **document, "features": []}
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def zipped(folder: Path, name: str, entries: dict[str, bytes | str]) -> Path:
    """A zip archive of the given entries."""
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
    return path


def vrt_shp_zip(folder: Path, secret: Path) -> Path:
    """A zip whose .shp is VRT XML (with .shx and .dbf beside it)."""
    return zipped(folder, "vrt_shp.zip", {"parcels.shp": vrt_document(secret, secret.stem),
                                          "parcels.shx": b"", "parcels.dbf": b""})


def vrt_json_in_zip(folder: Path, target: str) -> Path:
    """A zip holding a JSON-wrapped VRT that reads `target` (e.g. /etc/passwd) as CSV."""
    document = json.dumps({"type": "FeatureCollection",
                           "note": vrt_document(f"CSV:{target}", Path(target).stem),
                           "features": []})
    return zipped(folder, "vrt_json.zip", {"parcels.json": document})


def csv_zip(folder: Path) -> Path:
    """A zip of .csv/.csvt/.vrt files pointing at /etc/passwd, no Shapefile."""
    return zipped(folder, "csv.zip", {
        "parcels.csv": f"code,land_use,WKT\nA,{SECRET},\"{SQUARE}\"\n",
        "parcels.csvt": "String,String,WKT\n",
        "parcels.vrt": vrt_document("/etc/passwd", "passwd"),
    })


def vrt_as_gpkg(folder: Path, secret: Path) -> Path:
    """VRT XML named .gpkg."""
    path = folder / "parcels.gpkg"
    path.write_text(vrt_document(secret, secret.stem), encoding="utf-8")
    return path


def real_geopackage(folder: Path, name: str = "bureau.gpkg") -> Path:
    """A GeoPackage written by pyogrio's GDAL, with its standard triggers (one layer)."""
    path = folder / name
    pyogrio.write_dataframe(expected_lonlat_frame().to_crs(4549), path, layer="parcels")
    return path


def geopackage_with(folder: Path, *statements: str, name: str = "evil.gpkg") -> Path:
    """A real GeoPackage with extra SQL run on it (views, triggers, virtual tables)."""
    path = real_geopackage(folder, name)
    with sqlite3.connect(path) as db:
        for statement in statements:
            db.execute(statement)
    db.close()
    return path


EVIL_GPKG_SQL = {
    "view": ("CREATE VIEW parcels_view AS SELECT * FROM parcels",),
    "view_as_layer": (
        "CREATE VIEW stolen AS SELECT fid, geom, '宗地' AS 宗地编号 FROM parcels",
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
        "VALUES ('stolen', 'features', 'stolen', 4549)",
        "INSERT INTO gpkg_geometry_columns VALUES ('stolen', 'geom', 'POLYGON', 4549, 0, 0)"),
    "trigger": ("CREATE TRIGGER evil AFTER INSERT ON parcels BEGIN "
                "DELETE FROM gpkg_contents; END",),
    "trigger_named_like_rtree": (
        "CREATE TRIGGER rtree_parcels_geom_update9 AFTER UPDATE ON parcels BEGIN "
        "DELETE FROM gpkg_spatial_ref_sys; END",),
    "rtree_trigger_touching_other_table": (
        "DROP TRIGGER rtree_parcels_geom_delete",
        "CREATE TRIGGER rtree_parcels_geom_delete AFTER DELETE ON parcels BEGIN "
        "DELETE FROM gpkg_spatial_ref_sys; END"),
    "virtual_table": ("CREATE VIRTUAL TABLE notes USING fts5(text)",),
    "attributes_table": (
        "CREATE TABLE lookup (id INTEGER PRIMARY KEY, value TEXT)",
        "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
        "VALUES ('lookup', 'attributes', 'lookup')"),
}

# name -> (builder(folder, secret file), words of the refusal)
ATTACKS = {
    "vrt_json_collection": (lambda d, s: vrt_in_json(d, s), "holds no"),
    "vrt_json_plain": (lambda d, s: vrt_in_json(d, s, collection=False), "cannot be read"),
    "vrt_geojson_suffix": (lambda d, s: vrt_in_json(d, s, "a.geojson"), "holds no"),
    "vrt_shp_in_zip": (lambda d, s: vrt_shp_zip(d, s), "is not a Shapefile"),
    "vrt_json_in_zip_reading_passwd": (lambda d, s: vrt_json_in_zip(d, "/etc/passwd"),
                                       "holds no"),
    "csv_vrt_in_zip": (lambda d, s: csv_zip(d), "holds no Shapefile"),
    "vrt_named_gpkg": (lambda d, s: vrt_as_gpkg(d, s), "not a parcel file"),
    "zip_named_json_in_zip": (lambda d, s: zipped(d, "nested.zip", {
        "parcels.json": vrt_shp_zip(d, s).read_bytes()}), "is not a GeoJSON or GeoPackage"),
}
# EVIL_GPKG_SQL name -> words of the refusal
GPKG_REFUSALS = {
    "view": "holds a view (parcels_view)",
    "view_as_layer": "holds a view (stolen)",
    "trigger": "trigger that is not a standard GeoPackage one (evil)",
    "trigger_named_like_rtree": "(rtree_parcels_geom_update9)",
    "rtree_trigger_touching_other_table": "(rtree_parcels_geom_delete)",
    "virtual_table": "virtual table (notes) other than a spatial index",
    "attributes_table": "contents that are not feature layers (lookup)",
}
