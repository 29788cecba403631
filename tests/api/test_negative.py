"""The OGC negative suite: exact statuses and messages for unknown and invalid parameters."""

import base64

import pytest

ITEMS = "/api/collections/parcels/items"
BAD_CURSOR = ("is not a page cursor of this API; follow the `next` link as given, or page with "
              "offset")


def _token(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


BAD_CURSORS = ["", "%20", "!!!!", "x" * 401, "WyJULTAwMSIsMV0x", _token("[]"),
               _token('["T-001"]'), _token('["T-001", -1]'), _token('["T-001", 1.5]'),
               _token('["T-001", true]'), _token('["", 1]'), _token('[1, 1]'),
               _token('["T-001", 1, 2]'), _token('{"code": "T-001"}'),
               _token('["' + "x" * 201 + '", 1]'), _token('["T-001", 1000000001]'),
               _token('["T\\u0000", 1]'), _token('["\\ud800", 1]'),
               base64.urlsafe_b64encode(b"\xff\xfe").decode()]


@pytest.mark.parametrize("query, message", [
    ("bbox=1,2,3", "bbox: needs 4 or 6 comma-separated numbers"),
    ("bbox=1,2,3,4,5", "bbox: needs 4 or 6 comma-separated numbers"),
    ("bbox=a,b,c,d", "bbox: “a” is not a number"),
    ("bbox=118.6,31.6,118.5,31.7", "bbox: longitudes must be within ±180 and latitudes within ±90, "
                                   "minimum before maximum"),
    ("bbox=118.5,31.8,118.6,31.7", "bbox: longitudes must be within ±180 and latitudes within ±90, "
                                   "minimum before maximum"),
    ("bbox=118.5,31.6,118.6,91", "bbox: longitudes must be within ±180 and latitudes within ±90, "
                                 "minimum before maximum"),
    ("bbox=1,2,3,4&bbox=1,2,3,4", "bbox: given more than once"),
    ("limit=0", "limit: must be a whole number ≥ 1"),
    ("limit=-1", "limit: must be a whole number ≥ 1"),
    ("limit=abc", "limit: must be a whole number ≥ 1"),
    ("limit=1.5", "limit: must be a whole number ≥ 1"),
    ("offset=-3", "offset: must be a whole number ≥ 0"),
    ("offset=1000000001", "offset: must be at most 1000000000"),
    ("f=xml", "f: must be one of json, html"),
    ("land_use=9999", "land_use: unknown land-use code “9999”"),
    ("status=gone", "status: unknown status “gone”; use one of available, negotiating, sold, "
                    "reserve"),
    ("area_min_mu=abc", "area_min_mu: “abc” is not a number"),
    ("area_max_mu=-5", "area_max_mu: must be a number ≥ 0"),
    ("area_min_mu=inf", "area_min_mu: must be a number ≥ 0"),
    ("area_min_mu=20&area_max_mu=10", "area_min_mu: minimum area is larger than maximum area"),
    ("datetime=yesterday", "datetime: “yesterday” is not an RFC 3339 date-time or interval"),
    ("datetime=2024-02-30", "datetime: “2024-02-30” is not an RFC 3339 date-time or interval"),
    ("datetime=/", "datetime: “/” is not an RFC 3339 date-time or interval"),
    ("q=" + "x" * 101, "q: search text is longer than 100 characters"),
    ("area_min=5", "area_min: unknown parameter; this address accepts f, lang, limit, offset, "
                   "cursor, bbox, datetime, land_use, street, status, area_min_mu, area_max_mu, "
                   "q"),
    ("foo=bar", "foo: unknown parameter; this address accepts f, lang, limit, offset, cursor, "
                "bbox, datetime, land_use, street, status, area_min_mu, area_max_mu, q"),
    *[(f"cursor={token}", f"cursor: {BAD_CURSOR}") for token in BAD_CURSORS],
    ("cursor=WyJULTAwMSIsMV0&cursor=WyJULTAwMSIsMV0", "cursor: given more than once"),
    ("cursor=WyJULTAwMSIsMV0&offset=2", "offset: give offset or cursor, not both"),
])
def test_items_invalid_parameter_is_400_with_message(client, query, message):
    response = client.get(f"{ITEMS}?{query}&lang=en")
    assert response.status_code == 400
    assert response.json == {"code": "InvalidParameterValue", "description": message}


def test_items_unknown_language_is_400(client):
    response = client.get(f"{ITEMS}?lang=fr")
    assert response.status_code == 400 and response.json["description"].startswith("lang: ")


def test_items_error_message_is_chinese_by_default(client):
    assert client.get(f"{ITEMS}?limit=0").json["description"] == "limit: 必须是 ≥ 1 的整数"


@pytest.mark.parametrize("path", ["/api/collections/parcels/items/1?limit=5",
                                  "/api/collections?bbox=1,2,3,4",
                                  "/api?offset=1",
                                  "/api/collections/parcels/tiles/WebMercatorQuad/1/0/0?f=json"])
def test_unknown_parameter_anywhere_is_400(client, path):
    assert client.get(path).status_code == 400


@pytest.mark.parametrize("path", ["/api/collections/buildings", "/api/collections/buildings/items",
                                  "/api/collections/parcels/items/999",
                                  "/api/collections/parcels/items/NOPE"])
def test_unknown_collection_or_feature_is_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and set(response.json) == {"code", "description"}


def test_post_to_items_is_405_json(client):
    response = client.post(ITEMS)
    assert response.status_code == 405 and set(response.json) == {"code", "description"}
