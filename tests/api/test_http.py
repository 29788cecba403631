"""HTTP behaviour of the API: ETags and 304s, cache headers, CORS, compression."""

import gzip

import pytest

ITEMS = "/api/collections/parcels/items"


def test_items_etag_and_conditional_get_is_304(client):
    etag = client.get(ITEMS).headers["ETag"]
    response = client.get(ITEMS, headers={"If-None-Match": etag})
    assert response.status_code == 304 and response.data == b""


def test_items_etag_changes_with_the_filter(client):
    assert client.get(ITEMS).headers["ETag"] != client.get(ITEMS + "?status=sold").headers["ETag"]


def test_items_etag_changes_when_a_parcel_changes(client, small_store):
    before = client.get(ITEMS).headers["ETag"]
    with small_store.database.write_transaction() as db:
        db.execute("UPDATE parcels SET status = 'sold', version = version + 1 WHERE code = 'T-001'")
    assert client.get(ITEMS, headers={"If-None-Match": before}).status_code == 200


def test_items_gzip_when_accepted(sample_client):
    response = sample_client.get(ITEMS, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data).startswith(b'{"type":"FeatureCollection"')


def test_items_gzip_is_several_times_smaller(sample_client):
    plain = sample_client.get(ITEMS).data
    packed = sample_client.get(ITEMS, headers={"Accept-Encoding": "gzip"}).data
    assert len(packed) * 4 < len(plain)


def test_items_gzip_conditional_get_is_304(sample_client):
    headers = {"Accept-Encoding": "gzip"}
    etag = sample_client.get(ITEMS, headers=headers).headers["ETag"]
    response = sample_client.get(ITEMS, headers=headers | {"If-None-Match": etag})
    assert response.status_code == 304


def test_items_not_compressed_without_accept_encoding(client):
    assert "Content-Encoding" not in client.get(ITEMS).headers


def test_items_vary_on_accept_and_accept_encoding(client):
    vary = client.get(ITEMS, headers={"Accept-Encoding": "gzip"}).headers["Vary"]
    assert {"Accept", "Accept-Encoding"} <= {v.strip() for v in vary.split(",")}


def test_items_are_publicly_cacheable(client):
    assert client.get(ITEMS).headers["Cache-Control"] == "public, max-age=60"


def test_cache_seconds_is_a_setting(tmp_path):
    from tests.conftest import DATA, make_app

    app = make_app(tmp_path, DATA / "small.geojson", API_CACHE_SECONDS=300)
    assert app.test_client().get(ITEMS).headers["Cache-Control"] == "public, max-age=300"


def test_html_pages_are_revalidated(client):
    assert client.get(ITEMS + "?f=html").headers["Cache-Control"] == "no-cache"


def test_explicit_language_makes_the_response_private(client):
    assert client.get(ITEMS + "?lang=en").headers["Cache-Control"] == "private, no-cache"


def test_errors_are_not_cached_publicly(client):
    response = client.get(ITEMS + "?limit=0")
    assert "public" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/api", ITEMS, ITEMS + "/1", "/api/nothing-here",
                                  ITEMS + "?limit=0"])
def test_cors_allows_any_origin_to_read(client, path):
    response = client.get(path, headers={"Origin": "https://gis.example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight_allows_only_reading(client):
    response = client.options(ITEMS, headers={"Origin": "https://gis.example.org",
                                              "Access-Control-Request-Method": "GET"})
    assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]


def test_cors_exposes_the_etag(client):
    assert "ETag" in client.get(ITEMS).headers["Access-Control-Expose-Headers"]


def test_cors_not_offered_outside_the_api(client):
    assert "Access-Control-Allow-Origin" not in client.get("/parcels/T-001").headers


def test_head_gives_headers_without_body(client):
    response = client.head(ITEMS)
    assert response.status_code == 200 and response.data == b"" and response.headers["ETag"]
