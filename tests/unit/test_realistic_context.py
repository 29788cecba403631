"""scripts/realistic_context.py: synthetic context layers consistent with their realistic
district (scripts/realistic_district.py), on a small district."""

import importlib
from pathlib import Path

import numpy as np
import pytest
import shapely

from webapp.domain.context import CONTEXT_KINDS, check_layer
from webapp.store.context_features import FAMILY_TYPE_IDS

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
COUNT = 3000
SEED = 7
# the scripts import their siblings as top-level modules (scripts/ is not a package)
with pytest.MonkeyPatch.context() as patch:
    patch.syspath_prepend(str(SCRIPTS))
    generator = importlib.import_module("realistic_context")
    district = importlib.import_module("realistic_district")
    STREETS = importlib.import_module("bench_district").STREETS
CONTEXT_LAYERS = generator.CONTEXT_LAYERS


@pytest.fixture(scope="module")
def layers():
    return generator.context_layers(COUNT, SEED)


@pytest.fixture(scope="module")
def parcels():
    return district.realistic_frame(COUNT, SEED)


def test_realistic_context_same_seed_gives_same_layers(layers):
    again = generator.context_layers(COUNT, SEED)
    assert list(again) == list(layers)
    for name, frame in layers.items():
        assert frame.geom_equals_exact(again[name], tolerance=0).all(), name
        assert frame["name"].tolist() == again[name]["name"].tolist()


@pytest.mark.parametrize("name", list(CONTEXT_LAYERS))
def test_realistic_context_layer_is_storable_and_of_its_family(layers, name):
    kind, title = CONTEXT_LAYERS[name]
    check_layer(name, title, kind)
    frame = layers[name]
    assert len(frame) > 0 and frame.crs == "EPSG:4326"
    geometries = frame.geometry.to_numpy()
    assert shapely.is_valid(geometries).all()
    family = CONTEXT_KINDS[kind].family
    assert np.isin(shapely.get_type_id(geometries), FAMILY_TYPE_IDS[family]).all()
    assert frame["name"].notna().all() and frame["class"].notna().all()


@pytest.mark.parametrize("name", ["roads", "expressway", "national_road", "riverbank"])
def test_realistic_context_lines_have_8_to_200_vertices(layers, name):
    vertices = shapely.get_num_coordinates(layers[name].geometry.to_numpy())
    assert vertices.min() >= 8 and vertices.max() <= 200


@pytest.mark.parametrize("name", ["roads", "expressway", "national_road", "parks"])
def test_realistic_context_roads_and_parks_cross_no_parcel(layers, parcels, name):
    tree = shapely.STRtree(parcels.geometry.to_numpy())
    assert tree.query(layers[name].geometry.to_numpy(), predicate="intersects").size == 0


def test_realistic_context_residential_areas_have_holes_and_cover_parcels(layers, parcels):
    areas = layers["residential"].geometry.to_numpy()
    assert (shapely.get_num_interior_rings(areas) > 0).any()
    tree = shapely.STRtree(parcels.geometry.to_numpy())
    covered = parcels.iloc[np.unique(tree.query(areas, predicate="intersects")[1])]
    assert covered["land_use"].str.startswith("07").mean() > 0.8


def test_realistic_context_street_boundaries_hold_most_of_their_parcels(layers, parcels):
    streets = layers["streets"]
    assert set(streets["name"]) <= set(STREETS)
    points = parcels.geometry.representative_point().to_numpy()
    inside = np.zeros(len(parcels), dtype=bool)
    for name, outline in zip(streets["name"], streets.geometry, strict=True):
        theirs = (parcels["street"] == name).to_numpy()
        inside[theirs] = shapely.intersects(outline, points[theirs])
    assert inside.mean() > 0.9


def test_realistic_context_interchanges_lie_on_the_expressway(layers):
    expressway = shapely.union_all(layers["expressway"].geometry.to_numpy())
    interchanges = layers["interchanges"]
    assert shapely.dwithin(interchanges.geometry.to_numpy(), expressway, 1e-6).all()
    assert interchanges["name"].str.endswith("互通").all()
