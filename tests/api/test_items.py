"""Items: GeoJSON features with every public attribute, paging, bbox and property filters."""

import pytest

from tests.api.conftest import unpublish
from webapp.api.cursors import PageCursor
from webapp.domain.parcel import ATTRIBUTE_TYPES

ITEMS = "/api/collections/parcels/items"


def codes(response):
    return [f["properties"]["code"] for f in response.json["features"]]


def link_of(document, rel):
    return next((li for li in document["links"] if li["rel"] == rel), None)


def test_items_media_type_is_geojson(client):
    assert client.get(ITEMS).mimetype == "application/geo+json"


def test_items_are_ordered_by_code(client):
    assert codes(client.get(ITEMS)) == ["T-001", "T-002", "T-003", "T-004"]


def test_items_feature_id_is_the_parcel_id(client, small_store):
    feature = client.get(ITEMS).json["features"][0]
    assert feature["id"] == small_store.get("T-001").id


def test_items_feature_carries_every_public_attribute(client):
    properties = client.get(ITEMS).json["features"][0]["properties"]
    assert set(ATTRIBUTE_TYPES) | {"area_m2", "area_mu", "updated_at"} == set(properties)


def test_items_feature_area_in_m2_and_mu_with_two_decimals(client, small_store):
    parcel = small_store.get("T-001")
    properties = client.get(ITEMS).json["features"][0]["properties"]
    assert (properties["area_m2"], properties["area_mu"]) == (round(parcel.area_m2, 2),
                                                              round(parcel.area_mu, 2))


def test_items_integer_attribute_is_an_integer(client):
    assert client.get(ITEMS).json["features"][0]["properties"]["lease_years"] == 50


def test_items_geometry_is_the_stored_polygon(client, small_store):
    geometry = client.get(ITEMS).json["features"][0]["geometry"]
    ring = geometry["coordinates"][0][0]
    assert geometry["type"] == "MultiPolygon"
    assert ring[0] == list(small_store.get("T-001").geometry.geoms[0].exterior.coords[0])


def test_items_counts_matched_and_returned(client):
    document = client.get(ITEMS + "?limit=3").json
    assert (document["numberMatched"], document["numberReturned"]) == (4, 3)


def test_items_default_limit_is_100(sample_client):
    assert sample_client.get(ITEMS).json["numberReturned"] == 100


def test_items_huge_limit_is_clamped_to_10000(sample_client):
    response = sample_client.get(ITEMS + "?limit=99999999999999999999999")
    assert response.status_code == 200 and response.json["numberReturned"] == 360


def test_items_next_link_keeps_filters_and_continues_from_a_cursor(client):
    document = client.get(ITEMS + "?limit=1&status=available,sold").json
    cursor = PageCursor("T-001", 1).encode()
    assert link_of(document, "next") == {
        "href": "http://localhost/api/collections/parcels/items?status=available%2Csold"
                f"&cursor={cursor}&limit=1&f=json",
        "rel": "next", "type": "application/geo+json"}


def test_items_next_link_drops_the_offset(client):
    href = link_of(client.get(ITEMS + "?limit=1&offset=1").json, "next")["href"]
    assert "offset=" not in href and f"cursor={PageCursor('T-002', 2).encode()}" in href


def test_items_cursor_page_continues_after_its_code(client):
    document = client.get(f"{ITEMS}?limit=2&cursor={PageCursor('T-002', 2).encode()}").json
    assert (codes_of(document), document["numberMatched"]) == (["T-003", "T-004"], 4)
    assert link_of(document, "next") is None


def test_items_cursor_page_links_back_by_offset(client):
    document = client.get(f"{ITEMS}?limit=1&cursor={PageCursor('T-002', 2).encode()}").json
    prev = link_of(document, "prev")["href"]
    assert "offset=1&limit=1" in prev and "cursor=" not in prev


def test_items_html_next_link_carries_the_cursor(client):
    html = client.get(ITEMS + "?limit=1&f=html").get_data(as_text=True)
    assert f"cursor={PageCursor('T-001', 1).encode()}" in html


@pytest.mark.parametrize("query", ["limit=2&offset=2", "limit=4", "limit=5"])
def test_items_last_page_has_no_next_link(client, query):
    assert link_of(client.get(f"{ITEMS}?{query}").json, "next") is None


def test_items_first_page_has_no_prev_link(client):
    assert link_of(client.get(ITEMS + "?limit=2").json, "prev") is None


def test_items_prev_link_goes_back_one_page(client):
    prev = link_of(client.get(ITEMS + "?limit=2&offset=3").json, "prev")
    assert "offset=1&limit=2" in prev["href"]


def test_items_following_next_links_visits_every_parcel_once(sample_client, sample_store):
    url, seen = ITEMS + "?limit=70", []
    while url:
        document = sample_client.get(url).json
        seen += codes_of(document)
        nxt = link_of(document, "next")
        url = nxt["href"].removeprefix("http://localhost") if nxt else None
    assert len(seen) == len(set(seen)) == sample_store.count(include_drafts=False)


def codes_of(document):
    return [f["properties"]["code"] for f in document["features"]]


def test_items_offset_beyond_the_end_is_an_empty_page(client):
    document = client.get(ITEMS + "?offset=50").json
    assert (document["numberMatched"], document["features"]) == (4, [])


def test_items_links_self_and_alternate_html(client):
    document = client.get(ITEMS).json
    assert link_of(document, "self")["type"] == "application/geo+json"
    assert link_of(document, "alternate")["type"] == "text/html"


@pytest.mark.parametrize("query, expected", [
    ("land_use=10", ["T-001"]),
    ("land_use=100101,1401", ["T-001", "T-004"]),
    ("land_use=11&land_use=09", ["T-002", "T-003"]),
    ("status=sold", ["T-003"]),
    ("street=塘西街道", ["T-002", "T-004"]),
    ("street=塘西街道&status=reserve", ["T-004"]),
    ("area_min_mu=10&area_max_mu=30", ["T-001", "T-002"]),
    ("area_min_mu=100", ["T-004"]),
    ("q=滨江", ["T-004"]),
    ("bbox=118.499,31.699,118.502,31.702", ["T-001"]),
    ("bbox=118.499,31.699,0,118.502,31.702,100", ["T-001"]),
    ("bbox=100,10,101,11", []),
    ("datetime=2024-01-01T00:00:00Z", ["T-001", "T-002", "T-003", "T-004"]),
    ("datetime=../2024-01-01", ["T-001", "T-002", "T-003", "T-004"]),
])
def test_items_filter(client, query, expected):
    assert codes(client.get(f"{ITEMS}?{query}")) == expected


def test_items_hide_unpublished_parcels(client, small_store):
    unpublish(small_store, "T-002")
    document = client.get(ITEMS).json
    assert "T-002" not in codes_of(document) and document["numberMatched"] == 3


def test_items_html_lists_parcels_with_links(client):
    html = client.get(ITEMS + "?f=html&limit=1").text
    assert 'href="/api/collections/parcels/items/1?f=html"' in html and 'rel="next"' in html
