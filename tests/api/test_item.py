"""A single item: by id or code, its links, its ETag (the parcel version) and 404s."""

import pytest

from tests.api.conftest import unpublish
from webapp.domain.parcel import parcel_etag

ITEM = "/api/collections/parcels/items/"


def test_item_by_id_is_the_parcel(client, small_store):
    parcel = small_store.get("T-002")
    assert client.get(f"{ITEM}{parcel.id}").json["properties"]["code"] == "T-002"


def test_item_by_code_is_the_parcel(client, small_store):
    assert client.get(ITEM + "T-002").json["id"] == small_store.get("T-002").id


def test_item_media_type_is_geojson(client):
    assert client.get(ITEM + "1").mimetype == "application/geo+json"


def test_item_etag_is_the_parcel_etag(client, small_store):
    assert client.get(ITEM + "1").headers["ETag"] == parcel_etag(small_store.get(1))


def test_item_etag_is_kept_when_the_client_accepts_gzip(client, small_store):
    response = client.get(ITEM + "1", headers={"Accept-Encoding": "gzip"})
    assert response.headers["ETag"] == parcel_etag(small_store.get(1))


def test_item_conditional_get_is_304(client, small_store):
    etag = parcel_etag(small_store.get(1))
    response = client.get(ITEM + "1", headers={"If-None-Match": etag})
    assert response.status_code == 304 and response.data == b""


def test_item_changed_version_is_200(client):
    response = client.get(ITEM + "1", headers={"If-None-Match": '"1-0"'})
    assert response.status_code == 200


def test_item_links_to_collection_and_public_page(client):
    links = {li["rel"]: li["href"] for li in client.get(ITEM + "1").json["links"]}
    assert links["collection"] == "http://localhost/api/collections/parcels"
    assert links["describedby"] == "http://localhost/parcels/T-001"


def test_item_html_shows_attributes(client):
    html = client.get(ITEM + "T-001?f=html").text
    assert "金家庄街道测试工业地块" in html and 'href="/parcels/T-001"' in html


@pytest.mark.parametrize("key", ["999", "NOPE", "99999999999999999999999", "T-001%00", "%E2%80%8B"])
def test_item_unknown_is_404_with_message(client, key):
    response = client.get(ITEM + key + "?lang=en")
    assert response.status_code == 404
    assert response.json["description"].startswith("No published parcel has the code or number")


def test_item_unpublished_is_404(client, small_store):
    unpublish(small_store, "T-002")
    assert client.get(ITEM + "T-002").status_code == 404
