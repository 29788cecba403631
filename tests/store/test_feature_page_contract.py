"""Contract: feature_page reads the page query() reads, as FeatureRows: the backend's own read
(no Parcel per row) equals the interface's default built from Parcels, on every backend."""

import json

import pytest

from webapp.domain.filters import ParcelFilter
from webapp.domain.parcel import ATTRIBUTE_TYPES
from webapp.store.feature_page import FEATURE_COLUMNS, FeaturePage
from webapp.store.interface import ParcelStore

PAGES = {
    "all": (ParcelFilter(), {"limit": 10}),
    "offset": (ParcelFilter(), {"limit": 2, "offset": 1}),
    "after_code": (ParcelFilter(), {"limit": 2, "after_code": "T-001"}),
    "land_use": (ParcelFilter(land_uses=("0901",)), {"limit": 10}),
    "bbox": (ParcelFilter(bbox=(118.0, 31.0, 119.0, 32.0)), {"limit": 3}),
    "no_match": (ParcelFilter(statuses=("sold",), text="nothing like this"), {"limit": 10}),
    "decimals": (ParcelFilter(), {"limit": 10, "decimals": 3}),
}


def decoded(page: FeaturePage) -> list:
    """A page with each geometry decoded (databases write the same numbers differently)."""
    return [(row.id, row.code, row.values,
             None if row.geometry_json is None else json.loads(row.geometry_json))
            for row in page.parcels]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_feature_page_equals_the_page_built_from_parcels(store, name):
    parcel_filter, options = PAGES[name]
    fast = store.feature_page(parcel_filter, **options)
    built = ParcelStore.feature_page(store, parcel_filter, **options)
    assert decoded(fast) == decoded(built)
    assert (fast.number_matched, fast.total_area_m2) == (built.number_matched,
                                                         built.total_area_m2)
    assert isinstance(fast.total_area_m2, float)  # also when nothing matches


def test_feature_page_holds_the_parcels_query_reads(store):
    page = store.query(ParcelFilter(), limit=3, offset=1)
    rows = store.feature_page(ParcelFilter(), limit=3, offset=1).parcels
    assert [(r.id, r.code) for r in rows] == [(p.id, p.code) for p in page.parcels]
    assert [r.values[FEATURE_COLUMNS.index("area_m2")] for r in rows] == [
        p.area_m2 for p in page.parcels]


def test_feature_page_values_are_typed_as_parcel_fields(store):
    kinds = {**ATTRIBUTE_TYPES, "area_m2": float, "updated_at": str}
    for row in store.feature_page(ParcelFilter(), limit=10).parcels:
        for name, value in zip(FEATURE_COLUMNS, row.values, strict=True):
            assert value is None or type(value) is kinds[name], (name, value)


def test_feature_page_rounds_coordinates_to_the_decimals_asked(store):
    row = store.feature_page(ParcelFilter(), limit=1, decimals=3).parcels[0]
    ring = json.loads(row.geometry_json)["coordinates"][0]
    ring = ring[0] if isinstance(ring[0][0], list) else ring  # a MultiPolygon's first ring
    assert all(round(value, 3) == value for point in ring for value in point)
