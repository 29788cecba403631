"""MVT encoding of parcel records: tile-local integer coordinates (y down), clipping,
simplification, attributes; and the same tiles as mapbox-vector-tile (the oracle) writes them."""

import json
from pathlib import Path

import geopandas as gpd
import mapbox_vector_tile
import numpy as np
import pytest
import shapely
from mapbox_vector_tile.Mapbox import vector_tile_pb2

from tests.hostile import HOSTILE
from tests.unit.mvt_oracle import (
    assert_same_tile,
    decoded_features,
    oracle_parcel_tile,
    star_parcels,
)
from webapp.domain.parcel import Parcel
from webapp.tiles.grid import TileAddress, tile_bounds, tile_containing
from webapp.tiles.mvt import (
    BUFFER_UNITS,
    EXTENT,
    clip_to_rect,
    encode_parcel_tile,
    simplify_detailed,
    simplify_tolerance,
)

TILE = TileAddress(16, 54340, 26677)


def parcel_in(tile, fractions, **fields):
    """A parcel whose polygon covers the given (west, south, east, north) fractions of the tile."""
    west, south, east, north = tile_bounds(tile)
    fx0, fy0, fx1, fy1 = fractions
    box = shapely.box(west + fx0 * (east - west), south + fy0 * (north - south),
                      west + fx1 * (east - west), south + fy1 * (north - south))
    values = {"id": 7, "code": "G(2024)043", "land_use": "100101", "status": "available",
              "area_m2": 32917.914, "geometry": shapely.MultiPolygon([box])} | fields
    return Parcel(**values)


def decoded(data):
    return mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})


def ring_of(data):
    return decoded(data)["parcels"]["features"][0]["geometry"]["coordinates"][0]


def test_mvt_layer_and_attributes():
    feature = decoded(encode_parcel_tile([parcel_in(TILE, (0.25, 0.25, 0.75, 0.75))], TILE)
                      )["parcels"]["features"][0]
    assert feature["id"] == 7
    assert feature["properties"] == {"id": 7, "code": "G(2024)043", "land_use": "100101",
                                     "status": "available", "area_m2": 32917.91,
                                     "area_mu": 49.38}


def test_mvt_north_is_at_the_top_of_the_tile():
    ring = ring_of(encode_parcel_tile([parcel_in(TILE, (0.0, 0.75, 0.25, 1.0))], TILE))
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    assert (min(xs), max(xs), min(ys)) == (0, EXTENT // 4, 0)
    assert max(ys) == pytest.approx(EXTENT // 4, abs=1)


def test_mvt_clips_to_the_buffered_tile():
    ring = ring_of(encode_parcel_tile([parcel_in(TILE, (-3.0, -3.0, 4.0, 4.0))], TILE))
    assert {min(p[0] for p in ring), max(p[0] for p in ring)} == {-BUFFER_UNITS,
                                                                  EXTENT + BUFFER_UNITS}


def test_mvt_parcel_outside_the_tile_is_left_out():
    data = encode_parcel_tile([parcel_in(TILE, (3.0, 3.0, 4.0, 4.0))], TILE)
    assert decoded(data).get("parcels", {"features": []})["features"] == []


def test_mvt_parcel_smaller_than_a_tile_unit_is_left_out():
    data = encode_parcel_tile([parcel_in(TILE, (0.5, 0.5, 0.50001, 0.50001))], TILE)
    assert decoded(data).get("parcels", {"features": []})["features"] == []


def test_mvt_exterior_ring_is_clockwise_on_screen():
    ring = ring_of(encode_parcel_tile([parcel_in(TILE, (0.25, 0.25, 0.75, 0.75))], TILE))
    assert shapely.Polygon(ring).exterior.is_ccw  # counter-clockwise with y up = clockwise y down


def test_mvt_parcel_without_geometry_is_skipped():
    assert decoded(encode_parcel_tile([parcel_in(TILE, (0, 0, 1, 1), geometry=None)], TILE)) in (
        {}, {"parcels": {"extent": EXTENT, "version": 2, "type": "FeatureCollection",
                         "features": []}})


@pytest.mark.parametrize("z, tolerance", [(8, 8.0), (12, 4.0), (14, 4.0), (15, 1.0), (20, 1.0)])
def test_mvt_simplification_tolerance_shrinks_with_zoom(z, tolerance):
    assert simplify_tolerance(z) == tolerance


def test_clip_to_rect_clips_only_what_crosses_the_rectangle():
    inside, crossing = shapely.box(1, 1, 2, 2), shapely.box(3, 3, 12, 12)
    clipped = clip_to_rect(np.array([inside, crossing, None], dtype=object), 0, 0, 10, 10)
    assert clipped[0] is inside
    assert clipped[1].equals(shapely.box(3, 3, 10, 10))
    assert clipped[2] is None


def test_simplify_detailed_simplifies_rings_with_many_vertices_only():
    quad = shapely.Polygon([(0, 0), (10, 0), (10.2, 5), (10, 10), (0, 10)])
    wobbly = shapely.Polygon([(0, 0), (5, 0.1), (10, 0), (10.2, 5), (10, 10), (5, 9.9), (0, 10)])
    quad_out, wobbly_out = simplify_detailed(np.array([quad, wobbly], dtype=object), 1.0)
    assert quad_out is quad  # five corners: nothing to gain
    assert shapely.get_num_coordinates(wobbly_out) == 5
    assert wobbly_out.symmetric_difference(wobbly).area < 2.0


SAMPLE = Path(__file__).resolve().parents[2] / "geodata" / "sample" / "parcels.geojson"
DISTRICT = (118.51, 31.70)  # lon/lat inside the sample district


@pytest.mark.parametrize("z", [10, 12, 14, 16, 18])
@pytest.mark.parametrize("seed", range(4))
def test_parcel_tile_matches_the_oracle(z, seed):
    """Outlines of 4-40 corners across and around the tile, holes, two-part parcels, slivers."""
    tile = tile_containing(*DISTRICT, z)
    parcels = star_parcels(tile, 150, seed)
    assert_same_tile(encode_parcel_tile(parcels, tile), oracle_parcel_tile(parcels, tile))


def sample_parcels() -> list[Parcel]:
    frame = gpd.read_file(SAMPLE)
    return [Parcel(id=i + 1, code=row.code, land_use=row.land_use, status=row.status,
                   area_m2=float(row.geometry.area * 1e10), geometry=row.geometry)
            for i, row in enumerate(frame.itertuples())]


@pytest.mark.parametrize("z", [12, 14, 15, 16])
def test_parcel_tile_of_the_sample_district_matches_the_oracle(z):
    """The bundled district: plain plots, most of them written straight from their WKB."""
    parcels = sample_parcels()
    for lon, lat in [DISTRICT, (118.47, 31.68), (118.55, 31.73)]:
        tile = tile_containing(lon, lat, z)
        west, south, east, north = tile_bounds(tile, 0.02)
        shown = [p for p in parcels if p.geometry.intersects(shapely.box(west, south, east, north))]
        assert_same_tile(encode_parcel_tile(shown, tile), oracle_parcel_tile(shown, tile))


def test_parcel_tile_carries_hostile_text_as_the_oracle_does():
    names = list(HOSTILE)
    parcels = [parcel_in(TILE, (0.01 * i, 0.2, 0.01 * i + 0.008, 0.3), id=i + 1,
                         code=HOSTILE[name], land_use=HOSTILE[names[-1 - i]], status=name)
               for i, name in enumerate(names)]
    ours = encode_parcel_tile(parcels, TILE)
    assert_same_tile(ours, oracle_parcel_tile(parcels, TILE))
    assert [f["properties"]["code"] for f in decoded_features(ours)] == list(HOSTILE.values())


def test_parcel_tile_leaves_missing_text_out_as_the_oracle_does():
    parcels = [parcel_in(TILE, (0.1, 0.1, 0.2, 0.2), id=1, status=None),
               parcel_in(TILE, (0.3, 0.1, 0.4, 0.2), id=2, land_use=None, status="sold")]
    ours = encode_parcel_tile(parcels, TILE)
    assert_same_tile(ours, oracle_parcel_tile(parcels, TILE))
    assert [sorted(f["properties"]) for f in decoded_features(ours)] == [
        ["area_m2", "area_mu", "code", "id", "land_use"],
        ["area_m2", "area_mu", "code", "id", "status"]]


def test_parcel_tile_writes_ids_as_integers_and_areas_as_doubles():
    """Even an area equal to an id stays a double (the oracle lists 400 and 400.0 as one value,
    whichever comes first)."""
    parcels = [parcel_in(TILE, (0.1, 0.1, 0.2, 0.2), id=400, area_m2=600.0),
               parcel_in(TILE, (0.3, 0.1, 0.4, 0.2), id=600, area_m2=400.0)]
    tile = vector_tile_pb2.tile()
    tile.ParseFromString(encode_parcel_tile(parcels, TILE))
    (layer,) = tile.layers
    kinds = {(layer.keys[k], next(kind for kind in ("int_value", "double_value", "string_value")
                                  if layer.values[v].HasField(kind)))
             for f in layer.features for k, v in zip(f.tags[::2], f.tags[1::2], strict=True)}
    assert kinds == {("id", "int_value"), ("code", "string_value"),
                     ("land_use", "string_value"), ("status", "string_value"),
                     ("area_m2", "double_value"), ("area_mu", "double_value")}
    assert [f["properties"]["area_m2"] for f in decoded_features(encode_parcel_tile(
        parcels, TILE))] == [600.0, 400.0]


def test_parcel_tile_rounds_areas_as_the_other_tiles_do():
    """numpy.round, as the GeoPackage tiles and PostGIS's round(x * 100) / 100: 45741.115 lies
    a hair below the half in binary, but ×100 it is 4574111.5 exactly."""
    parcel = parcel_in(TILE, (0.1, 0.1, 0.2, 0.2), area_m2=45741.115)
    (feature,) = decoded_features(encode_parcel_tile([parcel], TILE))
    assert feature["properties"]["area_m2"] == 45741.12


def test_parcel_tile_of_no_parcels_is_an_empty_layer_as_the_oracle_writes():
    ours = encode_parcel_tile([], TILE)
    assert decoded_features(ours) == decoded_features(oracle_parcel_tile([], TILE)) == []
    assert json.loads(json.dumps(mapbox_vector_tile.decode(ours)))["parcels"]["extent"] == EXTENT
