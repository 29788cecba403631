"""The context-layer interface every backend implements, reached as `store.context`: named
layers of roads, rivers, interchanges, street boundaries... beside the parcels, drawn as vector
tiles under them and measured against by site selection."""

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd

from webapp.domain.context import ContextFeature, ContextLayer, Nearest

CONTEXT_TILE_LAYER = "context"  # the MVT layer of context tiles
# Attributes of a context tile's features: the layer name, its kind, the feature's name, class.
CONTEXT_TILE_ATTRIBUTES = {"id": "Number", "layer": "String", "kind": "String",
                           "name": "String", "class": "String"}


@dataclass(frozen=True)
class ContextPage:
    """One page of a layer's features (id order) and how many match in all."""

    features: list[ContextFeature]
    number_matched: int


class ContextStore(ABC):
    """Context layers and their features, stored beside the parcels (both backends)."""

    @abstractmethod
    def layers(self) -> list[ContextLayer]:
        """Every context layer, by name."""

    def layer(self, name: str) -> ContextLayer | None:
        """One layer by name, or None."""
        return next((layer for layer in self.layers() if layer.name == name), None)

    @abstractmethod
    def replace_layer(self, layer: ContextLayer, features: gpd.GeoDataFrame,
                      actor: str) -> ContextLayer:
        """Create the layer or replace all its features, atomically (readers see the old
        features or the new, never a mix); returns the stored layer (count, bounds,
        distance_epsg, imported_at/by filled in).

        `features` is EPSG:4326 with columns name, feature_class (text or None) and valid,
        non-empty geometries of the layer's family (lines, points or polygons, multi-part
        allowed); webapp.importing.context_layers prepares it. The store keeps each geometry
        projected to the layer's distance CRS (domain.context.distance_epsg of the layer's centre)
        too, so distances need no per-request projection of the features.
        """

    @abstractmethod
    def delete_layer(self, name: str) -> bool:
        """Remove a layer and its features; False when there was none."""

    @abstractmethod
    def features(self, name: str, bbox: tuple[float, float, float, float] | None = None,
                 limit: int | None = None, offset: int = 0) -> ContextPage:
        """Features of one layer meeting the lon/lat bbox (all when None), in id order."""

    @abstractmethod
    def feature(self, name: str, feature_id: int) -> ContextFeature | None:
        """One feature of a layer by id, or None."""

    @abstractmethod
    def tile(self, z: int, x: int, y: int, names: Sequence[str] = ()) -> bytes:
        """One WebMercatorQuad MVT, layer CONTEXT_TILE_LAYER, of the features of the named
        layers (every layer when names is empty), attributes CONTEXT_TILE_ATTRIBUTES. x is the
        column and y the row; TileNotFoundError outside the grid."""

    @abstractmethod
    def nearest(self, name: str, parcel_ids: Sequence[int]) -> dict[int, Nearest]:
        """For each given parcel (published or not), the layer's feature nearest to it and the
        distance in metres on the ground (0 when touching or inside). Unknown ids are left out;
        {} for an unknown or empty layer. Callers pass at most a few thousand ids."""

    @abstractmethod
    def generation(self) -> int:
        """A number that changes whenever any context layer changes (for caches and ETags)."""
