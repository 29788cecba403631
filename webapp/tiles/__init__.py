"""Vector tiles: the WebMercatorQuad grid, geometry prepared per zoom band, MVT writing."""

from functools import cache
from types import ModuleType


@cache
def compiled_loops() -> ModuleType:
    """webapp.tiles.mvt_compiled, imported on first use: numba takes ~130 MB per process, which
    processes that never write a tile (gunicorn's master, the command line) do not pay."""
    from webapp.tiles import mvt_compiled

    return mvt_compiled
