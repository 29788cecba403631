"""The store contract for vector tiles: every backend answers tile(z, x, y, filter) alike."""

import mapbox_vector_tile
import pytest
import shapely

from webapp.domain.filters import ParcelFilter
from webapp.tiles.grid import TileNotFoundError, tile_containing


def codes_in(data):
    layer = mapbox_vector_tile.decode(data).get("parcels", {"features": []})
    return sorted(f["properties"]["code"] for f in layer["features"])


def tile_of(store, code, z):
    centre = shapely.centroid(store.get(code).geometry)
    return tile_containing(centre.x, centre.y, z)


def test_store_tile_holds_the_parcels_in_it(store):
    tile = tile_of(store, "T-001", 13)
    assert codes_in(store.tile(tile.z, tile.x, tile.y, ParcelFilter())) == [
        "T-001", "T-002", "T-003", "T-004"]


def test_store_tile_applies_the_filter(store):
    tile = tile_of(store, "T-001", 13)
    assert codes_in(store.tile(tile.z, tile.x, tile.y, ParcelFilter(land_uses=("14",)))) == [
        "T-004"]


def test_store_tile_outside_the_grid_raises_not_found(store):
    with pytest.raises(TileNotFoundError):
        store.tile(2, 4, 0, ParcelFilter())
