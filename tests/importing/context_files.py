"""Context-layer files the tests build themselves: lines, points and polygons near the test
parcels (118.50-118.51 E, 31.70 N), as GeoJSON, GeoPackage and GBK Shapefiles."""

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

ROAD = shapely.LineString([(118.49, 31.69), (118.52, 31.71)])


def write_geojson(path: Path, features: list[tuple[dict, object]]) -> Path:
    """A FeatureCollection of (properties, shapely geometry or None) in lon/lat."""
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props,
         "geometry": None if geometry is None else shapely.geometry.mapping(geometry)}
        for props, geometry in features]}
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


def roads_geojson(folder: Path) -> Path:
    """Two named roads with a class (fields NAME and DJ)."""
    return write_geojson(folder / "roads.geojson", [
        ({"NAME": "205国道", "DJ": "G205"}, ROAD),
        ({"NAME": "湖西路", "DJ": 2}, shapely.LineString([(118.50, 31.69), (118.50, 31.72)])),
    ])


def gbk_points_zip(folder: Path, crs: int = 4528, keep_cpg: bool = False,
                   keep_prj: bool = True) -> Path:
    """A zipped GBK Shapefile of two interchanges (fields 名称, 等级) in a GK CRS, without
    its .cpg (and .prj when keep_prj is False)."""
    frame = gpd.GeoDataFrame({"名称": ["马鞍山东互通", "慈湖互通"], "等级": ["枢纽", "一般"]},
                             geometry=[shapely.Point(118.53, 31.70), shapely.Point(118.54, 31.73)],
                             crs=4326).to_crs(crs)
    shp_dir = folder / "shp"
    shp_dir.mkdir()
    pyogrio.write_dataframe(frame, shp_dir / "互通.shp", encoding="GBK")
    archive = folder / "interchanges.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(shp_dir.iterdir()):
            if (path.suffix != ".cpg" or keep_cpg) and (path.suffix != ".prj" or keep_prj):
                z.write(path, path.name)
    return archive


def mixed_geopackage(folder: Path) -> Path:
    """A GeoPackage with a line layer 'roads' and a polygon layer 'streets'."""
    path = folder / "mixed.gpkg"
    roads = gpd.GeoDataFrame({"name": ["205国道"]}, geometry=[ROAD], crs=4326)
    streets = gpd.GeoDataFrame({"name": ["金家庄街道"]},
                               geometry=[shapely.box(118.49, 31.69, 118.52, 31.72)], crs=4326)
    pyogrio.write_dataframe(roads.to_crs(4549), path, layer="roads")
    pyogrio.write_dataframe(streets.to_crs(4549), path, layer="streets", append=False)
    return path


def street_boundaries(folder: Path) -> Path:
    """Two street boundaries side by side: 金家庄街道 west of 118.504 E (holds T-001, T-003),
    塘西街道 east of it (holds T-002, T-004)."""
    return write_geojson(folder / "streets.geojson", [
        ({"名称": "金家庄街道"}, shapely.box(118.49, 31.69, 118.504, 31.72)),
        ({"名称": "塘西街道"}, shapely.box(118.504, 31.69, 118.52, 31.72)),
    ])
