"""mapbox-vector-tile as the oracle of the tile encoder: what it writes for the same parcels.

oracle_parcel_tile is the encoder the app used before the compiled one took every tile: outlines
projected straight to tile units, simplified and clipped by shapely, snapped to the integer grid
(set_precision), written by mapbox_vector_tile.encode. Areas are rounded as the app rounds them
(numpy.round, as the GeoPackage and PostGIS tiles do). Our tiles must decode to the same
features, properties and shapes.
"""

import math

import mapbox_vector_tile
import numpy as np
import shapely
from mapbox_vector_tile.encoder import on_invalid_geometry_make_valid

from webapp.domain.parcel import Parcel
from webapp.tiles.grid import MAX_LATITUDE, TileAddress, tile_bounds
from webapp.tiles.mvt import (
    BUFFER_UNITS,
    EXTENT,
    LAYER,
    clip_to_rect,
    simplify_detailed,
    simplify_tolerance,
)

PROPERTY_TYPES = {"id": int, "code": str, "land_use": str, "status": str, "area_m2": float,
                  "area_mu": float}


def _to_tile_units(tile: TileAddress):
    size = 1 << tile.z

    def project(lonlat: np.ndarray) -> np.ndarray:
        lat = np.radians(np.clip(lonlat[:, 1], -MAX_LATITUDE, MAX_LATITUDE))
        col = (lonlat[:, 0] + 180.0) / 360.0 * size
        row = (1.0 - np.arcsinh(np.tan(lat)) / math.pi) / 2.0 * size
        return np.column_stack(((col - tile.x) * EXTENT, (row - tile.y) * EXTENT))

    return project


def _polygonal(geometry):
    if geometry.is_empty:
        return None
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [g for g in getattr(geometry, "geoms", []) if g.geom_type == "Polygon"]
    return shapely.MultiPolygon(parts) if parts else None


def oracle_parcel_tile(parcels: list[Parcel], tile: TileAddress) -> bytes:
    """The tile mapbox_vector_tile writes for the parcels (layer `parcels`, y down)."""
    shown = [p for p in parcels if p.geometry is not None]
    projected = shapely.transform(np.array([p.geometry for p in shown], dtype=object),
                                  _to_tile_units(tile))
    simplified = simplify_detailed(projected, simplify_tolerance(tile.z))
    clipped = clip_to_rect(simplified, -BUFFER_UNITS, -BUFFER_UNITS, EXTENT + BUFFER_UNITS,
                           EXTENT + BUFFER_UNITS)
    features = []
    for parcel, geometry in zip(shown, shapely.set_precision(clipped, 1.0), strict=True):
        shape = _polygonal(geometry)
        if shape is not None:
            properties = {"id": parcel.id, "code": parcel.code, "land_use": parcel.land_use,
                          "status": parcel.status, "area_m2": float(np.round(parcel.area_m2, 2)),
                          "area_mu": float(np.round(parcel.area_mu, 2))}
            features.append({"geometry": shape, "id": parcel.id, "properties": {
                key: value for key, value in properties.items() if value is not None}})
    options = {"extents": EXTENT, "y_coord_down": True,
               "on_invalid_geometry": on_invalid_geometry_make_valid}
    return mapbox_vector_tile.encode({"name": LAYER, "features": features},
                                     default_options=options)


def decoded_features(data: bytes) -> list[dict]:
    """The features of a tile's `parcels` layer as mapbox_vector_tile decodes them (y down)."""
    layers = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})
    return layers.get(LAYER, {"features": []})["features"]


def assert_same_tile(ours: bytes, theirs: bytes) -> None:
    """Both tiles hold the same features in the same order, with equal ids and properties
    (numbers of the same type), and shapes equal point set for point set.

    Two differences come from the oracle's set_precision (GEOS snap-rounding), which our writer
    does not run: a sliver that rounds to a ring of one tile unit² or less (a unit triangle) is
    kept by ours, as the MVT rules keep any ring of 3 points with area, and dropped by the
    oracle; a concave outline clipped where it meets the buffer's edge twice is one ring touching
    itself there in ours (as GEOS clips it; clients fill it the same) and two polygons in the
    oracle's. So shapes are compared as point sets, ours after make_valid."""
    got, want = decoded_features(ours), decoded_features(theirs)
    oracle_ids = {f["id"] for f in want}
    slivers = [f for f in got if f["id"] not in oracle_ids]
    assert all(shapely.geometry.shape(f["geometry"]).area <= 1 for f in slivers)
    got = [f for f in got if f["id"] in oracle_ids]
    assert [f["id"] for f in got] == [f["id"] for f in want]
    for mine, oracle in zip(got, want, strict=True):
        assert mine["properties"] == oracle["properties"], mine["id"]
        # types from the schema, not the oracle: it lists equal numbers once, so an id of 28
        # comes back as 28.0 when an area of 28.0 was listed first
        assert all(type(value) is PROPERTY_TYPES[key]
                   for key, value in mine["properties"].items()), mine["properties"]
        shape, oracle_shape = (shapely.geometry.shape(mine["geometry"]),
                               shapely.geometry.shape(oracle["geometry"]))
        assert shapely.make_valid(shape).equals(oracle_shape), (mine["id"], shape.wkt,
                                                                oracle_shape.wkt)


def star_parcels(tile: TileAddress, count: int, seed: int) -> list[Parcel]:
    """Parcels as a bureau's file has them, around and across the tile, in lon/lat: outlines of
    4-40 corners, some with a hole, some in two parts, some smaller than a tile unit."""
    rng = np.random.default_rng(seed)
    west, south, east, north = tile_bounds(tile)
    width, height = east - west, north - south
    parcels = []
    for i in range(count):
        cx, cy = west + rng.uniform(-0.1, 1.1) * width, south + rng.uniform(-0.1, 1.1) * height
        radius = rng.choice([0.0001, 0.01, 0.03, 0.08, 0.3]) * width
        corners = int(rng.choice([4, 5, 8, 12, 25, 40]))
        spacing = 2 * np.pi / corners  # jittered less than half of it: the centre is inside
        angles = (np.arange(corners) + rng.uniform(-0.3, 0.3, corners)) * spacing + rng.uniform(
            0, spacing)
        r = radius * (1 + 0.25 * np.sin(angles * 3)) * rng.uniform(0.8, 1.0, corners)
        outline = shapely.Polygon(np.column_stack([cx + r * np.cos(angles),
                                                   cy + r * np.sin(angles)]))
        kind = rng.random()
        if kind < 0.1:
            hole = shapely.box(cx - radius / 5, cy - radius / 5, cx + radius / 5, cy + radius / 5)
            outline = shapely.Polygon(outline.exterior.coords, [hole.exterior.coords])
        geometry = shapely.MultiPolygon([outline])
        if 0.1 <= kind < 0.15:
            geometry = shapely.MultiPolygon([outline, shapely.box(
                cx + 2 * radius, cy, cx + 3 * radius, cy + radius)])
        parcels.append(Parcel(id=1000 + i, code=f"R{i:07d}", land_use=str(rng.choice(
            ["100101", "0701", "0901", "14"])), status=str(rng.choice(["available", "sold"])),
            area_m2=float(np.round(rng.uniform(10, 90_000), 3)), geometry=geometry))
    return parcels
