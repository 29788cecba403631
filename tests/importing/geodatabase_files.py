"""Zipped File Geodatabases built by the tests with GDAL's OpenFileGDB driver (GDAL ≥ 3.6
writes them): two layers of Chinese-attributed parcels in a GK zone, and hostile variants."""

import zipfile
from pathlib import Path

import pyogrio

from tests.importing.bureau_files import expected_lonlat_frame

GDB_NAME = "规划.gdb"
LAYERS = {"parcels_2024": 3, "parcels_2025": 2}  # layer → parcels it holds (the first n)


def write_geodatabase(folder: Path) -> Path:
    """A File Geodatabase folder in EPSG:4549 with the layers of LAYERS."""
    gdb = folder / GDB_NAME
    frame = expected_lonlat_frame().to_crs(4549)
    for layer, count in LAYERS.items():
        pyogrio.write_dataframe(frame.iloc[:count], gdb, layer=layer, driver="OpenFileGDB")
    return gdb


def zip_folder(gdb: Path, archive: Path, extra: dict[str, bytes] | None = None) -> Path:
    """A zip of the folder as `<name>.gdb/<file>` entries (as Windows' "send to zip" makes
    it), plus extra entries."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(gdb.rglob("*")):
            if path.is_file():
                z.write(path, path.relative_to(gdb.parent).as_posix())
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return archive


def geodatabase_zip(folder: Path, name: str = "bureau.gdb.zip",
                    extra: dict[str, bytes] | None = None) -> Path:
    """The zipped two-layer File Geodatabase (with extra entries when given)."""
    source = folder / "gdb-source"
    source.mkdir(exist_ok=True)
    gdb = source / GDB_NAME if (source / GDB_NAME).is_dir() else write_geodatabase(source)
    return zip_folder(gdb, folder / name, extra)


def damaged_geodatabase_zip(folder: Path, damage: str) -> Path:
    """A zipped File Geodatabase broken one way: 'no_catalog', 'catalog_header' (the catalog
    replaced by text), 'sub_folder', 'truncated' (every table cut short)."""
    source = folder / "gdb-source"
    source.mkdir()
    gdb = write_geodatabase(source)
    catalog = gdb / "a00000001.gdbtable"
    if damage == "no_catalog":
        catalog.unlink()
    elif damage == "catalog_header":
        catalog.write_text("<OGRVRTDataSource></OGRVRTDataSource>", encoding="utf-8")
    elif damage == "sub_folder":
        (gdb / "inner").mkdir()
        (gdb / "inner" / "a00000001.gdbtable").write_bytes(catalog.read_bytes())
    elif damage == "truncated":
        for table in gdb.glob("*.gdbtable"):
            table.write_bytes(table.read_bytes()[:40])
    return zip_folder(gdb, folder / f"{damage}.gdb.zip")
