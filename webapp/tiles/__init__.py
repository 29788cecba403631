"""Vector tiles: the WebMercatorQuad grid, geometry prepared per zoom band, MVT writing."""

from functools import cache
from types import ModuleType


@cache
def compiled_commands() -> ModuleType:
    """webapp.tiles.mvt_commands, imported on first use: numba takes ~130 MB per process, which
    processes that never write a tile (gunicorn's master, the command line) do not pay."""
    from webapp.tiles import mvt_commands

    return mvt_commands


@cache
def compiled_messages() -> ModuleType:
    """webapp.tiles.mvt_messages, imported on first use (as compiled_commands)."""
    from webapp.tiles import mvt_messages

    return mvt_messages
