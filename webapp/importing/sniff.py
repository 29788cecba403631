"""Recognise a parcel file by its content, not its name."""

from pathlib import Path

from webapp.domain.errors import DataFileError

FORMATS = ("zip", "gpkg", "geojson", "shp")
_MAGIC = (
    (b"PK\x03\x04", "zip"),
    (b"SQLite format 3\x00", "gpkg"),
    (b"\x00\x00\x27\x0a", "shp"),
)
_KNOWN_OTHERS = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)


def sniff_format(path: Path) -> str:
    """'zip', 'gpkg', 'geojson' or 'shp' from the first bytes; DataFileError for anything else."""
    with path.open("rb") as f:
        head = f.read(64)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        return "geojson"
    for magic, description in _KNOWN_OTHERS:
        if head.startswith(magic):
            raise DataFileError(f"{path.name}: this is {description}, not a parcel file "
                                "(GeoJSON, GeoPackage or zipped Shapefile)")
    raise DataFileError(f"{path.name}: not a parcel file; expected GeoJSON, GeoPackage or a "
                        "zipped Shapefile")


SHAPEFILE_MAGIC = b"\x00\x00\x27\x0a"  # file code 9994, big-endian, in .shp and .shx


def _sibling(shp: Path, suffix: str) -> Path | None:
    return next((p for p in shp.parent.iterdir() if p.is_file() and p.stem == shp.stem
                 and p.suffix.lower() == suffix), None)


def check_shapefile(shp: Path, name: str) -> None:
    """DataFileError unless shp starts with the Shapefile magic number and has its .shx
    (same magic) and .dbf beside it: only then is it handed to GDAL's Shapefile driver."""
    with shp.open("rb") as f:
        if f.read(4) != SHAPEFILE_MAGIC:
            raise DataFileError(f"{name}: {shp.name} is not a Shapefile (wrong file header)")
    for suffix in (".shx", ".dbf"):
        if _sibling(shp, suffix) is None:
            raise DataFileError(f"{name}: the Shapefile {shp.name} has no {suffix} file beside "
                                "it; send the .shp, .shx, .dbf and .prj files together")
    with _sibling(shp, ".shx").open("rb") as f:
        if f.read(4) != SHAPEFILE_MAGIC:
            raise DataFileError(f"{name}: {shp.stem}.shx is not a Shapefile index (wrong file "
                                "header)")


# A File Geodatabase (format 10) is a folder named *.gdb whose table a00000001.gdbtable is the
# catalog of its layers; every .gdbtable starts with the version number 3 (little-endian).
GDB_CATALOG = "a00000001.gdbtable"
GDB_TABLE_MAGIC = b"\x03\x00\x00\x00"


def check_geodatabase(folder: Path, name: str) -> None:
    """DataFileError unless folder is a plain File Geodatabase: its catalog table present with
    the table header, no sub-folders (archives unpack no links): only then is it handed to
    GDAL's OpenFileGDB driver."""
    catalog = folder / GDB_CATALOG
    if not catalog.is_file():
        raise DataFileError(f"{name}: {folder.name} is not a File Geodatabase (no {GDB_CATALOG} "
                            "catalog); zip the whole .gdb folder")
    with catalog.open("rb") as f:
        if f.read(4) != GDB_TABLE_MAGIC:
            raise DataFileError(f"{name}: {folder.name} is not a File Geodatabase of ArcGIS 10 "
                                "or later (wrong catalog header)")
    inner = next((p for p in folder.iterdir() if not p.is_file()), None)
    if inner is not None:
        raise DataFileError(f"{name}: {folder.name}/{inner.name} is a folder; a File "
                            "Geodatabase holds only files")
