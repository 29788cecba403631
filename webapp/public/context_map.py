"""The context layers a page's map draws under the parcels, read from the store."""

from flask_babel import gettext as _

from webapp.api.context_documents import tile_template
from webapp.maps.context_layers import ContextMap
from webapp.store import ParcelStore


def context_map(store: ParcelStore, language: str) -> ContextMap | None:
    """The store's context layers with features, for a map in the UI language; None when
    there are none (the map then stays as it was without context layers)."""
    layers = tuple(layer for layer in store.context.layers() if layer.feature_count)
    if not layers:
        return None
    return ContextMap(layers=layers, tile_url=tile_template(external=False), language=language,
                      texts={"legend": _("Around the parcels"), "control": _("Map layers")})
