"""SQL functions GeoPackage R-tree triggers call (ST_IsEmpty, ST_MinX, ...), for plain sqlite3,
and the exact geometry test of bbox filters (landgis_intersects_box).

GDAL's triggers keep the spatial index in step with the feature table; without these
functions registered, any INSERT, UPDATE or DELETE on the table fails through sqlite3.
"""

import sqlite3

import shapely

from webapp.store.geopackage.blob import envelope_of_gpkg_blob, geometry_from_gpkg_blob


def _is_empty(blob: bytes | None) -> int | None:
    if blob is None:
        return None
    return int(envelope_of_gpkg_blob(blob) is None)


def _bound(index: int):
    def bound(blob: bytes | None) -> float | None:
        envelope = envelope_of_gpkg_blob(blob) if blob is not None else None
        return None if envelope is None else envelope[index]

    return bound


def _intersects_box(blob: bytes | None, minx: float, miny: float, maxx: float,
                    maxy: float) -> int:
    geometry = geometry_from_gpkg_blob(blob) if blob is not None else None
    if geometry is None:
        return 0
    return int(shapely.intersects(geometry, shapely.box(minx, miny, maxx, maxy)))


def register_query_functions(connection: sqlite3.Connection) -> None:
    """landgis_intersects_box(geom, minx, miny, maxx, maxy): 1 when a parcel's geometry (not
    only its envelope) meets the box (lon/lat), as PostGIS's ST_Intersects."""
    connection.create_function("landgis_intersects_box", 5, _intersects_box, deterministic=True)


def register_gpkg_functions(connection: sqlite3.Connection) -> None:
    """Make the connection able to write GeoPackage feature tables with R-tree triggers."""
    connection.create_function("ST_IsEmpty", 1, _is_empty, deterministic=True)
    for index, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        connection.create_function(name, 1, _bound(index), deterministic=True)
    register_query_functions(connection)
