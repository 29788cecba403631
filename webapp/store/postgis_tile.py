"""Vector tiles built inside PostGIS (ST_AsMVTGeom + ST_AsMVT), matching webapp.tiles.mvt.

Same layer name, extent, buffer, feature ids and attributes (rounded like tile_properties), and
the same simplification tolerance per zoom, converted from tile units to Web Mercator metres.
"""

import math
from dataclasses import replace

import psycopg

from webapp.domain.filters import ParcelFilter
from webapp.domain.units import M2_PER_MU
from webapp.store.postgis_schema import SRID
from webapp.store.sql_filter import where_clause
from webapp.tiles.grid import TileAddress, tile_bounds
from webapp.tiles.mvt import BUFFER_FRACTION, BUFFER_UNITS, EXTENT, LAYER, simplify_tolerance

WEB_MERCATOR_WIDTH_M = 2 * math.pi * 6378137.0
BBOX_SQL = f"geom && ST_MakeEnvelope(%s, %s, %s, %s, {SRID})"


def tolerance_m(z: int) -> float:
    """simplify_tolerance(z) tile units in Web Mercator metres at zoom z."""
    return simplify_tolerance(z) * WEB_MERCATOR_WIDTH_M / (1 << z) / EXTENT


def tile_sql(table: str, where: str) -> str:
    """The query: the first `id` is the MVT feature id, the second an attribute (as in mvt.py);
    features in code order, as the Python encoder writes them, so equal data gives equal bytes."""
    return f"""SELECT ST_AsMVT(t, '{LAYER}', {EXTENT}, 'geom', 'id' ORDER BY t.code) FROM (
        SELECT id,
               ST_AsMVTGeom(ST_Simplify(ST_Transform(geom, 3857), %s, true),
                            ST_TileEnvelope(%s, %s, %s), {EXTENT}, {BUFFER_UNITS}, true) AS geom,
               id, code, land_use, status,
               round(area_m2::numeric, 2)::float8 AS area_m2,
               round((area_m2 / %s)::numeric, 2)::float8 AS area_mu
        FROM {table} WHERE {where}) AS t
        WHERE t.geom IS NOT NULL"""


def render_tile(conn: psycopg.Connection, table: str, z: int, x: int, y: int,
                parcel_filter: ParcelFilter) -> bytes:
    """One WebMercatorQuad MVT of the matching parcels; TileNotFoundError outside the grid."""
    address = TileAddress(z, x, y)
    in_tile = replace(parcel_filter, bbox=tile_bounds(address, BUFFER_FRACTION))
    where, params = where_clause(in_tile, BBOX_SQL, mark="%s", text_like="ILIKE")
    row = conn.execute(tile_sql(table, where),
                       [tolerance_m(z), z, x, y, M2_PER_MU, *params]).fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""
