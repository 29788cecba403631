"""Context-layer vector tiles built inside PostGIS (ST_AsMVTGeom + ST_AsMVT), like the parcel
tiles of webapp.store.postgis.tile: same extent, buffer and simplification per zoom, read from
each feature's stored Web Mercator copy through its GiST index.

Features come polygons first, then lines, then points (by the family of their layer's kind),
so a client drawing them in order keeps roads above the river and interchanges above roads.
"""

from collections.abc import Sequence

import psycopg

from webapp.domain.context import CONTEXT_KINDS
from webapp.store.context_store import CONTEXT_TILE_LAYER
from webapp.store.postgis.location import PostGISLocation
from webapp.store.postgis.schema import MERCATOR_COLUMN
from webapp.store.postgis.tile import simplified_sql, tolerance_m
from webapp.store.tables import CONTEXT_FEATURES, CONTEXT_LAYERS
from webapp.tiles.grid import TileAddress
from webapp.tiles.mvt import BUFFER_FRACTION, BUFFER_UNITS, EXTENT

FAMILY_DRAW_ORDER = ("polygon", "line", "point")
# Every kind, those drawn first first (the order features are written in a tile).
KINDS_IN_DRAW_ORDER = [kind.key for family in FAMILY_DRAW_ORDER
                       for kind in CONTEXT_KINDS.values() if kind.family == family]


def context_tile_sql(location: PostGISLocation, some_layers: bool) -> str:
    """The tile query (parameters: tolerance, z, x, y, z, x, y, [layer names], kinds in draw
    order); the first `id` is the MVT feature id, the second an attribute."""
    features, layers = location.table(CONTEXT_FEATURES), location.table(CONTEXT_LAYERS)
    geometry = f"c.{MERCATOR_COLUMN}"
    chosen = "AND c.layer = ANY(%s)" if some_layers else ""
    return f"""SELECT ST_AsMVT(t, '{CONTEXT_TILE_LAYER}', {EXTENT}, 'geom', 'id') FROM (
        SELECT c.id,
               ST_AsMVTGeom({simplified_sql(geometry)}, (SELECT ST_TileEnvelope(%s, %s, %s)),
                            {EXTENT}, {BUFFER_UNITS}, true) AS geom,
               c.id, c.layer, l.kind, c.name, c.feature_class AS class
        FROM {features} c JOIN {layers} l ON l.name = c.layer
        WHERE {geometry} && (SELECT ST_TileEnvelope(%s, %s, %s, margin => {BUFFER_FRACTION!r}))
              {chosen}
        ORDER BY array_position(%s::text[], l.kind), c.layer, c.id) AS t"""


def render_context_tile(conn: psycopg.Connection, location: PostGISLocation, z: int, x: int,
                        y: int, names: Sequence[str]) -> bytes:
    """One WebMercatorQuad MVT (layer CONTEXT_TILE_LAYER) of the named layers' features (every
    layer's when names is empty); TileNotFoundError outside the grid."""
    TileAddress(z, x, y)  # checks the address
    chosen = [list(names)] if names else []
    row = conn.execute(context_tile_sql(location, bool(names)),
                       [tolerance_m(z), z, x, y, z, x, y, *chosen, KINDS_IN_DRAW_ORDER],
                       binary=True).fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""
