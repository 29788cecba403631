"""Bureau-style parcel files built by the tests themselves: GBK Shapefiles in GK zones."""

import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
from shapely.geometry import box

# Expected parcels: lon/lat squares near Ma'anshan, ~100 m wide, with Chinese attributes.
LONLAT_CORNERS = [(118.500, 31.700), (118.505, 31.700), (118.510, 31.702)]
CHINESE = {
    "宗地编号": ["HS-01", "HS-02", "HS-03"],
    "地块名称": ["金家庄街道宝庆路北侧地块", "塘西街道沿江物流地块", "马鞍山软件园三期地块"],
    "用地性质": ["工业用地", "物流仓储用地", "商业用地"],
    "街道": ["金家庄街道", "塘西街道", "霍里街道"],
    "状态": ["可供", "洽谈中", "已出让"],
    "容积率": ["≥1.2", "1.0-2.0", "2.5"],
}


def expected_lonlat_frame() -> gpd.GeoDataFrame:
    """The three parcels in lon/lat: squares of 0.001° × 0.0009° (about 95 m × 100 m)."""
    shapes = [box(x, y, x + 0.001, y + 0.0009) for x, y in LONLAT_CORNERS]
    return gpd.GeoDataFrame(CHINESE, geometry=shapes, crs=4326)


def write_shapefile_zip(folder: Path, crs: int, keep_cpg: bool, keep_prj: bool) -> Path:
    """A zipped GBK Shapefile in `crs`, optionally without .cpg and/or .prj."""
    shp_dir = folder / "shp"
    shp_dir.mkdir()
    pyogrio.write_dataframe(expected_lonlat_frame().to_crs(crs), shp_dir / "地块.shp",
                            encoding="GBK")
    archive = folder / "bureau.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(shp_dir.iterdir()):
            if (path.suffix == ".cpg" and not keep_cpg) or (path.suffix == ".prj" and not keep_prj):
                continue
            z.write(path, path.name)
    return archive
