"""What every backend must do for context layers (store.context): layers replaced atomically,
features by bbox and id, a generation, vector tiles, and ground distances from parcels to the
nearest feature, checked against an independent geodesic computation (pyproj.Geod)."""

import threading
from contextlib import ExitStack
from datetime import datetime

import geopandas as gpd
import mapbox_vector_tile
import pytest
import shapely
from pyproj import Geod, Transformer
from shapely.ops import nearest_points

from tests.store.conftest import BACKENDS, prepared_small
from webapp.domain.context import ContextLayer, distance_epsg
from webapp.domain.errors import InvalidEditError
from webapp.domain.filters import ParcelFilter
from webapp.store.context_store import CONTEXT_TILE_LAYER
from webapp.tiles.grid import TileNotFoundError, tile_containing

ACTOR = "carla"
# Hand-made layers around the four test parcels (T-001..T-004, 118.500-118.514 E, 31.700-31.712 N):
# name -> (title, kind, [(feature name, class, geometry in lon/lat)]).
LAYERS = {
    "interchanges": ("高速互通", "interchange", [
        ("马鞍山东", "expressway", shapely.Point(118.53, 31.72)),
        ("西互通", None, shapely.Point(118.47, 31.69)),
        ("两点", None, shapely.MultiPoint([(118.49, 31.74), (118.55, 31.66)])),
    ]),
    "g205": ("205国道与道路", "national_road", [
        ("G205", "G205", shapely.LineString([(118.52, 31.68), (118.52, 31.73)])),
        ("北路", "road", shapely.MultiLineString([[(118.49, 31.715), (118.505, 31.715)],
                                                  [(118.505, 31.715), (118.515, 31.716)]])),
        ("穿越路", None, shapely.LineString([(118.506, 31.699), (118.506, 31.702)])),  # T-002
    ]),
    "belt": ("沿江带", "riverside_belt", [
        ("沿江带", None, shapely.box(118.499, 31.699, 118.502, 31.702)),  # holds T-001
        ("公园", "park", shapely.Polygon(
            [(118.54, 31.70), (118.56, 31.70), (118.56, 31.72), (118.54, 31.72)],
            [[(118.545, 31.705), (118.555, 31.705), (118.555, 31.715), (118.545, 31.715)]])),
    ]),
}
UTM_50N = 32650  # the oracle's projection, independent of the store's Gauss-Kruger zones
GEOD = Geod(ellps="WGS84")


def frame(features):
    names, classes, geometries = zip(*features, strict=True) if features else ((), (), ())
    return gpd.GeoDataFrame({"name": list(names), "feature_class": list(classes)},
                            geometry=list(geometries), crs=4326)


def put(store, name, title=None, kind=None, features=None, source="layers.gpkg"):
    spec = LAYERS.get(name, ("图层", "road", []))
    layer = ContextLayer(name=name, title=title or spec[0], kind=kind or spec[1], source=source)
    return store.context.replace_layer(layer, frame(spec[2] if features is None else features),
                                       ACTOR)


@pytest.fixture(scope="module", params=sorted(BACKENDS))
def loaded(request, tmp_path_factory):
    """A store of each backend with the four test parcels and the three layers (read only)."""
    made = BACKENDS[request.param](tmp_path_factory.mktemp("context"))
    with ExitStack() as cleanup:
        store = cleanup.enter_context(made) if hasattr(made, "__enter__") else made
        store.replace_all(prepared_small())
        store.ensure_schema()
        for name in LAYERS:
            put(store, name)
        yield store


@pytest.fixture
def fresh(store):
    """The four-parcel store of each backend with its full schema and no context layers."""
    store.ensure_schema()
    return store


def features_named(store, layer):
    return {f.name: f for f in store.context.features(layer).features}


# Layers: create, list, replace, delete, generation


def test_context_replace_layer_returns_the_stored_layer(fresh):
    stored = put(fresh, "g205")
    geometries = [g for _, _, g in LAYERS["g205"][2]]
    minx, miny, maxx, maxy = shapely.total_bounds(geometries)
    assert (stored.name, stored.title, stored.kind, stored.feature_count) == (
        "g205", "205国道与道路", "national_road", 3)
    assert stored.bounds == pytest.approx((minx, miny, maxx, maxy), abs=1e-7)
    assert stored.distance_epsg == distance_epsg((minx + maxx) / 2)
    assert (stored.imported_by, stored.source) == (ACTOR, "layers.gpkg")


def test_context_imported_at_is_utc_iso(fresh):
    stored = put(fresh, "belt")
    assert datetime.fromisoformat(stored.imported_at).utcoffset().total_seconds() == 0


def test_context_layers_lists_every_layer_by_name(loaded):
    layers = loaded.context.layers()
    assert [layer.name for layer in layers] == ["belt", "g205", "interchanges"]
    assert [layer.feature_count for layer in layers] == [2, 3, 3]
    assert loaded.context.layer("g205") == layers[1]
    assert loaded.context.layer("nothing") is None


def test_context_no_layers_before_any_import(fresh):
    assert fresh.context.layers() == []


def test_context_replace_layer_swaps_all_features(fresh):
    put(fresh, "g205")
    old_ids = {f.id for f in fresh.context.features("g205").features}
    stored = put(fresh, "g205", title="新道路", features=[
        ("新路", "road", shapely.LineString([(118.6, 31.8), (118.61, 31.81)]))])
    page = fresh.context.features("g205")
    assert (stored.title, stored.feature_count, page.number_matched) == ("新道路", 1, 1)
    assert [f.name for f in page.features] == ["新路"] and page.features[0].id not in old_ids
    assert stored.bounds == pytest.approx((118.6, 31.8, 118.61, 31.81), abs=1e-7)
    assert stored.distance_epsg == distance_epsg(118.605)


def test_context_readers_see_the_old_layer_or_the_new_never_a_mix(fresh):
    old = LAYERS["g205"][2]
    new = [("新路", "road", shapely.LineString([(118.6, 31.8), (118.61, 31.81)]))]
    put(fresh, "g205", features=old)
    seen, done = [], threading.Event()

    def read():
        while not done.is_set():
            page = fresh.context.features("g205")
            seen.append((page.number_matched, [f.name for f in page.features]))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for features in (new, old, new, old):
            put(fresh, "g205", features=features)
    finally:
        done.set()
        reader.join()
    assert seen and all(entry in ((3, ["G205", "北路", "穿越路"]), (1, ["新路"]))
                        for entry in seen)


def test_context_replace_layer_leaves_other_layers(fresh):
    put(fresh, "g205")
    before = fresh.context.features("g205")
    put(fresh, "belt")
    put(fresh, "belt")
    assert fresh.context.features("g205") == before


def test_context_replace_layer_may_change_the_kind_in_its_family(fresh):
    put(fresh, "g205")
    assert put(fresh, "g205", kind="road").kind == "road"


def test_context_replace_layer_with_no_features_keeps_an_empty_layer(fresh):
    stored = put(fresh, "g205", features=[])
    assert (stored.feature_count, stored.bounds) == (0, None)
    assert fresh.context.features("g205").number_matched == 0


def test_context_delete_layer_removes_it_and_its_features(fresh):
    put(fresh, "g205")
    put(fresh, "belt")
    assert fresh.context.delete_layer("g205") is True
    assert [layer.name for layer in fresh.context.layers()] == ["belt"]
    assert fresh.context.features("g205").number_matched == 0
    assert fresh.context.features("belt").number_matched == 2


def test_context_delete_unknown_layer_is_false(fresh):
    assert fresh.context.delete_layer("nothing") is False


def test_context_generation_changes_with_every_write_only(fresh):
    seen = [fresh.context.generation()]
    put(fresh, "g205")
    seen.append(fresh.context.generation())
    put(fresh, "g205")
    seen.append(fresh.context.generation())
    fresh.context.features("g205")
    fresh.context.nearest("g205", list(fresh.code_ids().values()))
    assert fresh.context.generation() == seen[-1]
    fresh.context.delete_layer("g205")
    seen.append(fresh.context.generation())
    assert len(set(seen)) == 4


def test_context_layers_leave_the_parcels_alone(fresh):
    tile = tile_containing(118.505, 31.705, 13)
    parcels_tile = fresh.tile(tile.z, tile.x, tile.y, ParcelFilter())
    before = (fresh.count(), fresh.bounds(), fresh.landuse_breakdown(), fresh.streets())
    put(fresh, "g205")
    put(fresh, "g205")
    fresh.context.delete_layer("g205")
    assert (fresh.count(), fresh.bounds(), fresh.landuse_breakdown(), fresh.streets()) == before
    assert fresh.tile(tile.z, tile.x, tile.y, ParcelFilter()) == parcels_tile


def test_context_layers_outlive_a_parcel_replacement(fresh):
    put(fresh, "g205")
    fresh.replace_all(prepared_small())
    assert fresh.context.features("g205").number_matched == 3


# Bad input


@pytest.mark.parametrize(("name", "title", "kind", "field"), [
    ("Roads", "道路", "road", "name"),
    ("parcels", "道路", "road", "name"),
    ("", "道路", "road", "name"),
    ("a" * 41, "道路", "road", "name"),
    ("roads;drop", "道路", "road", "name"),
    ("roads\n", "道路", "road", "name"),
    ("roads", " ", "road", "title"),
    ("roads", "长" * 81, "road", "title"),
    ("roads", "道路", "motorway", "kind"),
])
def test_context_replace_layer_refuses_bad_names_titles_kinds(loaded, name, title, kind, field):
    before = loaded.context.layers()
    with pytest.raises(InvalidEditError) as error:
        loaded.context.replace_layer(ContextLayer(name, title, kind), frame([]), ACTOR)
    assert field in error.value.fields
    assert loaded.context.layers() == before


@pytest.mark.parametrize(("kind", "geometry"), [
    ("road", shapely.Point(118.5, 31.7)),
    ("road", shapely.box(118.5, 31.7, 118.51, 31.71)),
    ("interchange", shapely.LineString([(118.5, 31.7), (118.51, 31.71)])),
    ("park", shapely.MultiPoint([(118.5, 31.7), (118.51, 31.71)])),
    ("park", shapely.GeometryCollection([shapely.box(118.5, 31.7, 118.51, 31.71)])),
    ("road", None),
    ("road", shapely.LineString()),
])
def test_context_replace_layer_refuses_missing_or_foreign_geometry(loaded, kind, geometry):
    before = loaded.context.layers()
    with pytest.raises(InvalidEditError) as error:
        put(loaded, "mixed", title="混合", kind=kind, features=[("x", None, geometry)])
    assert "geometry" in error.value.fields
    assert loaded.context.layers() == before


def test_context_failed_replacement_keeps_the_old_layer(fresh):
    put(fresh, "g205")
    before = (fresh.context.layer("g205"), fresh.context.features("g205"),
              fresh.context.generation())
    with pytest.raises(InvalidEditError):
        put(fresh, "g205", features=[*LAYERS["g205"][2], ("点", None, shapely.Point(118.5, 31.7))])
    assert (fresh.context.layer("g205"), fresh.context.features("g205"),
            fresh.context.generation()) == before


# Features


def test_context_features_come_in_id_order_with_their_attributes(loaded):
    page = loaded.context.features("g205")
    assert page.number_matched == 3
    assert [f.id for f in page.features] == sorted(f.id for f in page.features)
    assert [(f.layer, f.name, f.feature_class) for f in page.features] == [
        ("g205", "G205", "G205"), ("g205", "北路", "road"), ("g205", "穿越路", None)]
    for feature, (_, _, geometry) in zip(page.features, LAYERS["g205"][2], strict=True):
        assert feature.geometry.equals(geometry)


def test_context_features_pages_with_limit_and_offset(loaded):
    every = loaded.context.features("interchanges").features
    page = loaded.context.features("interchanges", limit=1, offset=1)
    assert (page.features, page.number_matched) == ([every[1]], 3)
    assert loaded.context.features("interchanges", limit=5, offset=3).features == []


def test_context_features_meet_the_bbox(loaded):
    page = loaded.context.features("g205", bbox=(118.518, 31.70, 118.53, 31.71))
    assert ([f.name for f in page.features], page.number_matched) == (["G205"], 1)


def test_context_features_bbox_tests_the_geometry_not_its_envelope(loaded):
    # inside the park's hole: its envelope meets the box, its outline does not
    page = loaded.context.features("belt", bbox=(118.549, 31.709, 118.551, 31.711))
    assert page.number_matched == 0


def test_context_features_of_an_unknown_layer_are_none(loaded):
    page = loaded.context.features("nothing")
    assert (page.features, page.number_matched) == ([], 0)


def test_context_feature_by_id(loaded):
    wanted = features_named(loaded, "belt")["公园"]
    assert loaded.context.feature("belt", wanted.id) == wanted
    assert loaded.context.feature("g205", wanted.id) is None
    assert loaded.context.feature("belt", 10**9) is None


# Distances


def oracle_distance_m(parcel_lonlat, feature_lonlat):
    """The geodesic distance (m) between the two nearest points of the geometries, found in UTM
    zone 50N and measured on the WGS84 ellipsoid."""
    if parcel_lonlat.intersects(feature_lonlat):
        return 0.0
    forward = Transformer.from_crs(4326, UTM_50N, always_xy=True)
    back = Transformer.from_crs(UTM_50N, 4326, always_xy=True)
    a, b = (shapely.transform(g, forward.transform, interleaved=False)
            for g in (parcel_lonlat, feature_lonlat))
    (lon1, lat1), (lon2, lat2) = (back.transform(p.x, p.y) for p in nearest_points(a, b))
    return GEOD.inv(lon1, lat1, lon2, lat2)[2]


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_context_nearest_matches_geodesic_distances(loaded, layer):
    ids = loaded.code_ids()
    found = loaded.context.nearest(layer, list(ids.values()))
    stored = features_named(loaded, layer)
    assert sorted(found) == sorted(ids.values())
    for code, parcel_id in ids.items():
        parcel = loaded.get(parcel_id, include_drafts=True).geometry
        distances = {name: oracle_distance_m(parcel, geometry)
                     for name, _, geometry in LAYERS[layer][2]}
        name = min(distances, key=distances.get)
        assert (found[parcel_id].feature_name, found[parcel_id].feature_id) == (
            name, stored[name].id), code
        assert found[parcel_id].distance_m == pytest.approx(distances[name], rel=0.01, abs=0.01)


@pytest.mark.parametrize(("layer", "code", "name"), [
    ("belt", "T-001", "沿江带"),  # the parcel lies inside the belt
    ("g205", "T-002", "穿越路"),  # the road crosses the parcel
])
def test_context_nearest_is_zero_inside_or_across(loaded, layer, code, name):
    parcel_id = loaded.code_ids()[code]
    nearest = loaded.context.nearest(layer, [parcel_id])[parcel_id]
    assert (nearest.distance_m, nearest.feature_name) == (0.0, name)


def test_context_nearest_distances_are_metres_not_degrees(loaded):
    parcel_id = loaded.code_ids()["T-003"]
    assert 250 < loaded.context.nearest("belt", [parcel_id])[parcel_id].distance_m < 300


def test_context_nearest_leaves_unknown_parcels_out(loaded):
    parcel_id = loaded.code_ids()["T-004"]
    assert list(loaded.context.nearest("g205", [parcel_id, 10**9, -1])) == [parcel_id]
    assert loaded.context.nearest("g205", []) == {}


def test_context_nearest_of_an_unknown_layer_is_empty(loaded):
    assert loaded.context.nearest("nothing", list(loaded.code_ids().values())) == {}


def test_context_nearest_of_an_empty_layer_is_empty(fresh):
    put(fresh, "g205", features=[])
    assert fresh.context.nearest("g205", list(fresh.code_ids().values())) == {}


def test_context_nearest_follows_a_replacement(fresh):
    parcel_id = fresh.code_ids()["T-001"]
    put(fresh, "g205")
    first = fresh.context.nearest("g205", [parcel_id])[parcel_id]
    put(fresh, "g205", features=[("远路", None, shapely.LineString([(118.6, 31.6),
                                                                    (118.6, 31.8)]))])
    second = fresh.context.nearest("g205", [parcel_id])[parcel_id]
    assert second.feature_name == "远路" and second.distance_m > first.distance_m + 5000


# Tiles


def tile_features(data):
    return mapbox_vector_tile.decode(data).get(CONTEXT_TILE_LAYER, {"features": []})["features"]


def test_context_tile_holds_every_layer_with_its_attributes(loaded):
    tile = tile_containing(118.51, 31.71, 9)
    features = tile_features(loaded.context.tile(tile.z, tile.x, tile.y))
    stored = {f.id: f for name in LAYERS for f in loaded.context.features(name).features}
    assert sorted(f["properties"]["id"] for f in features) == sorted(stored)
    kinds = {name: kind for name, (_, kind, _) in LAYERS.items()}
    types = {"interchanges": {"Point", "MultiPoint"}, "g205": {"LineString", "MultiLineString"},
             "belt": {"Polygon", "MultiPolygon"}}
    for feature in features:
        properties = feature["properties"]
        want = stored[properties["id"]]
        assert properties["layer"] == want.layer and properties["kind"] == kinds[want.layer]
        assert properties.get("name") == want.name
        assert properties.get("class") == want.feature_class
        assert feature["geometry"]["type"] in types[want.layer]


def test_context_tile_holds_only_the_named_layers(loaded):
    tile = tile_containing(118.51, 31.71, 9)
    features = tile_features(loaded.context.tile(tile.z, tile.x, tile.y, ["interchanges"]))
    assert sorted(f["properties"]["name"] for f in features) == ["两点", "西互通", "马鞍山东"]


def test_context_tile_holds_only_what_meets_it(loaded):
    tile = tile_containing(118.5005, 31.7005, 17)  # inside T-001, inside the belt
    features = tile_features(loaded.context.tile(tile.z, tile.x, tile.y))
    assert [f["properties"]["name"] for f in features] == ["沿江带"]


def test_context_tile_far_away_is_empty(loaded):
    tile = tile_containing(10.0, 50.0, 12)
    assert tile_features(loaded.context.tile(tile.z, tile.x, tile.y)) == []


def test_context_tile_outside_the_grid_raises_not_found(loaded):
    with pytest.raises(TileNotFoundError):
        loaded.context.tile(2, 4, 0)
