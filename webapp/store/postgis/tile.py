"""Vector tiles built inside PostGIS (ST_AsMVTGeom + ST_AsMVT), matching webapp.tiles.mvt.

Same layer name, extent, buffer, feature ids and attributes (rounded like tile_properties), and
the same simplification per zoom (tolerance converted from tile units to Web Mercator metres;
plain quadrilaterals left alone).
Tiles read the stored Web Mercator copy of each parcel (`geom_3857`, GiST-indexed), so no
geometry is reprojected per tile.

The tile envelope is a sub-select, computed once per query and unknown to the planner, so the
unfiltered tile query has one plan for every tile, which PostgreSQL caches (psycopg prepares
repeated statements): such a tile costs no planning, a third of a z16 tile's time. A filtered
tile is planned afresh with its filter's values: a cached plan, blind to them, would AND the
tile with the land-use index even for a code held by 3×10^5 of 10^6 parcels (20 ms a tile).
"""

import math
from functools import lru_cache

import psycopg

from webapp.domain.filters import ParcelFilter
from webapp.domain.units import M2_PER_MU
from webapp.store.postgis.schema import MERCATOR_COLUMN
from webapp.store.sql_filter import where_clause
from webapp.tiles.grid import TileAddress
from webapp.tiles.mvt import (
    BUFFER_FRACTION,
    BUFFER_UNITS,
    EXTENT,
    LAYER,
    SIMPLE_VERTICES,
    simplify_tolerance,
)

WEB_MERCATOR_WIDTH_M = 2 * math.pi * 6378137.0
# The buffered tile (tile units beyond each edge) in Web Mercator, as the GiST index sees it.
TILE_BBOX_SQL = (f"{MERCATOR_COLUMN} && (SELECT ST_TileEnvelope(%s, %s, %s, "
                 f"margin => {BUFFER_FRACTION!r}))")


def tolerance_m(z: int) -> float:
    """simplify_tolerance(z) tile units in Web Mercator metres at zoom z."""
    return simplify_tolerance(z) * WEB_MERCATOR_WIDTH_M / (1 << z) / EXTENT


def simplified_sql(geometry: str) -> str:
    """The geometry simplified with the tolerance parameter, unless it has at most
    SIMPLE_VERTICES coordinates (as mvt.simplify_detailed: simplifying a plain plot saves
    nothing)."""
    return (f"CASE WHEN ST_NPoints({geometry}) <= {SIMPLE_VERTICES} THEN {geometry} "
            f"ELSE ST_Simplify({geometry}, %s, true) END")


def rounded_sql(expression: str) -> str:
    """A float8 expression rounded to 2 decimals in float arithmetic, as numpy.round(value, 2)
    does: Python's round(value, 2) but where value × 100 lies within float error of a half.
    (A round trip through numeric cost a dense tile about a tenth of its time.)"""
    return f"round(({expression}) * 100) / 100"


@lru_cache(maxsize=256)
def tile_sql(table: str, where: str) -> str:
    """The query: the first `id` is the MVT feature id, the second an attribute (as in mvt.py).

    Features come in the order the scan finds them. ST_AsMVT(... ORDER BY code) made equal data
    give equal bytes whatever the rows' physical order, but sorting the aggregate's rows cost a
    district-wide z12 tile 10-20% of its time; now the same parcels in another physical order
    (a re-import of a reordered file) give a tile with the same features in another order.
    ST_AsMVT skips rows whose geometry ST_AsMVTGeom dropped (NULL), so no filter repeats it.
    """
    return f"""SELECT ST_AsMVT(t, '{LAYER}', {EXTENT}, 'geom', 'id') FROM (
        SELECT id,
               ST_AsMVTGeom({simplified_sql(MERCATOR_COLUMN)},
                            (SELECT ST_TileEnvelope(%s, %s, %s)), {EXTENT}, {BUFFER_UNITS},
                            true) AS geom,
               id, code, land_use, status,
               {rounded_sql("area_m2")} AS area_m2,
               {rounded_sql(f"area_m2 / {M2_PER_MU!r}")} AS area_mu
        FROM {table} WHERE {where}) AS t"""


def render_tile(conn: psycopg.Connection, table: str, z: int, x: int, y: int,
                parcel_filter: ParcelFilter) -> bytes:
    """One WebMercatorQuad MVT of the matching parcels; TileNotFoundError outside the grid."""
    TileAddress(z, x, y)  # checks the address
    # No bbox SQL: the filter's own bbox (if any) gives way to the tile's, tested in 3857 below.
    where, params = where_clause(parcel_filter, None, mark="%s", text_like="ILIKE")
    # Binary results: the tile comes back as raw bytes, not as hex text to decode.
    row = conn.execute(tile_sql(table, f"{where} AND {TILE_BBOX_SQL}"),
                       [tolerance_m(z), z, x, y, *params, z, x, y], binary=True,
                       prepare=False if params else None).fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""
