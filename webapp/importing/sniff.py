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
