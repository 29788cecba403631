"""A bureau zoning Shapefile built by the tests: traditional-character field names and words,
its own land-use vocabulary, GB18030 text without a .cpg, CGCS2000 3-degree GK CM 120E."""

import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
from shapely.geometry import Polygon

GRID_EPSG = 4549  # CGCS2000 / 3-degree Gauss-Kruger CM 120E
ORIGIN_EN = (357_800.0, 3_509_600.0)  # about 118.5 E, 31.7 N (花山区)
# (code, name, land-use word, status word, street, width m, height m)
ZONES = (
    ("ZQ-01", "寶慶路北側住宅地塊", "住宅區", "可供", "金家莊街道", 200.0, 150.0),
    ("ZQ-02", "沿江商業地塊", "商業區", "洽談中", "塘西街道", 120.0, 80.0),
    ("ZQ-03", "軟件園工業地塊", "工業區", "", "霍里街道", 300.0, 210.0),
    ("ZQ-04", "濮塘配套地塊", "配套設施", "儲備", "濮塘鎮", 90.0, 60.0),
    ("ZQ-05", "住宅區二期", "住宅區", "可供", "金家莊街道", 150.5, 140.25),
)
FIELDS = ("宗地編號", "地塊名稱", "用地性質", "狀態", "街道")
MAPPING = {
    "values": {"land_use": {"住宅區": "0701", "商業區": "0901", "工業區": "1001"}},
    "others": {"land_use": "1209"},
    "defaults": {"status": "reserve"},
    "fixed": {"supply_method": "listing"},
}


def zone_polygons() -> list[Polygon]:
    """One L-shaped zone per row (a rectangle with a corner cut out), 50 m apart, in the grid."""
    shapes, east = [], ORIGIN_EN[0]
    for *_, width, height in ZONES:
        x, y = east, ORIGIN_EN[1]
        shapes.append(Polygon([(x, y), (x + width, y), (x + width, y + height / 2),
                               (x + width / 2, y + height / 2), (x + width / 2, y + height),
                               (x, y + height)]))
        east += width + 50.0
    return shapes


def zoning_frame() -> gpd.GeoDataFrame:
    """The zones with their traditional-character attributes, in EPSG:4549."""
    columns = list(zip(*ZONES, strict=True))[:5]
    data = {field: list(values) for field, values in zip(FIELDS, columns, strict=True)}
    return gpd.GeoDataFrame(data, geometry=zone_polygons(), crs=GRID_EPSG)


def write_zoning_shapefile(folder: Path, keep: tuple[str, ...] = (".shp", ".shx", ".dbf",
                                                                  ".prj")) -> Path:
    """The zoning Shapefile (GB18030 text, no .cpg) in its own folder; only the sidecars in
    `keep` stay. Returns the .shp path."""
    target = folder / "zoning"
    target.mkdir()
    shp = target / "控規地塊.shp"
    pyogrio.write_dataframe(zoning_frame(), shp, encoding="GB18030")
    for path in target.iterdir():
        if path.suffix.lower() not in keep:
            path.unlink()
    return shp


def zip_folder(shp: Path) -> Path:
    """The Shapefile's folder zipped next to it."""
    archive = shp.parent.parent / "zoning.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(shp.parent.iterdir()):
            z.write(path, path.name)
    return archive
