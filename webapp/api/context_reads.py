"""What the API reads from the context store (store.context): layers, features and tiles."""

from typing import Any

from flask_babel import gettext

from webapp.api.context_documents import ContextItems
from webapp.api.params import tile_address
from webapp.domain.context import ContextFeature, ContextLayer
from webapp.domain.errors import NotFoundError
from webapp.services import get_store

MAX_FEATURE_ID = 2**63 - 1  # the largest id a database row can have


def context_layers() -> list[ContextLayer]:
    """Every context layer, by name."""
    return get_store().context.layers()


def find_layer(name: str) -> ContextLayer:
    """The context layer called name, or NotFoundError."""
    layer = get_store().context.layer(name)
    if layer is None:
        raise NotFoundError(gettext("There is no collection “%(name)s”.", name=name))
    return layer


def fetch_context_items(layer: ContextLayer, query: dict[str, Any]) -> ContextItems:
    """One page of a layer's features (id order) meeting the query's bbox."""
    page = get_store().context.features(layer.name, bbox=query["bbox"], limit=query["limit"],
                                        offset=query["offset"])
    return ContextItems(layer, page, query["limit"], query["offset"])


def find_context_feature(layer: ContextLayer, feature_id: str) -> ContextFeature:
    """One feature of the layer by its id (a whole number), or NotFoundError."""
    number = int(feature_id) if feature_id.isascii() and feature_id.isdigit() else None
    found = (get_store().context.feature(layer.name, number)
             if number is not None and number <= MAX_FEATURE_ID else None)
    if found is None:
        raise NotFoundError(gettext("The collection “%(name)s” has no feature “%(id)s”.",
                                    name=layer.name, id=feature_id))
    return found


def fetch_context_tile(query: dict[str, Any], names: tuple[str, ...] = ()) -> bytes:
    """The Mapbox Vector Tile at z/row/column of the named layers (every layer when none)."""
    tile = tile_address(query["z"], query["y"], query["x"])
    return get_store().context.tile(tile.z, tile.x, tile.y, names)


def context_generation() -> int:
    """The context store's generation: it changes whenever any context layer changes."""
    return get_store().context.generation()
