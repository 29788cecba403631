"""Landing page, conformance, collections, queryables and schema: content and negotiation."""

import pytest

from webapp.api.documents import CRS84

LANDING_RELS = ("self", "alternate", "service-desc", "service-doc", "conformance", "data")
DOCUMENTS = ["/api", "/api/conformance", "/api/collections", "/api/collections/parcels",
             "/api/collections/parcels/queryables", "/api/collections/parcels/schema",
             "/api/collections/parcels/tiles", "/api/collections/parcels/tiles/WebMercatorQuad",
             "/api/openapi"]


def rels(document):
    return {link["rel"] for link in document["links"]}


def test_landing_links_to_definition_conformance_and_data(client):
    assert set(LANDING_RELS) <= rels(client.get("/api").json)


def test_landing_answers_with_trailing_slash(client):
    assert client.get("/api/").status_code == 200


def test_landing_links_carry_media_types(client):
    assert all(link.get("type") for link in client.get("/api").json["links"])


def test_landing_service_desc_is_openapi_media_type(client):
    link = next(li for li in client.get("/api").json["links"] if li["rel"] == "service-desc")
    assert link["type"] == "application/vnd.oai.openapi+json;version=3.0"


@pytest.mark.parametrize("conformance_class", [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
])
def test_conformance_declares_class(client, conformance_class):
    assert conformance_class in client.get("/api/conformance").json["conformsTo"]


def test_collections_lists_only_parcels(client):
    assert [c["id"] for c in client.get("/api/collections").json["collections"]] == ["parcels"]


def test_collection_extent_is_store_bounds_in_crs84(client, small_store):
    extent = client.get("/api/collections/parcels").json["extent"]["spatial"]
    assert extent["bbox"] == [list(small_store.bounds())] and extent["crs"] == CRS84


def test_collection_links_items_as_geojson(client):
    links = client.get("/api/collections/parcels").json["links"]
    assert {"rel": "items", "type": "application/geo+json",
            "href": "http://localhost/api/collections/parcels/items",
            "title": "Parcels"} in links


def test_collection_links_queryables_schema_and_tiles(client):
    assert {"http://www.opengis.net/def/rel/ogc/1.0/queryables", "describedby",
            "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"} <= rels(
        client.get("/api/collections/parcels").json)


def test_unknown_collection_is_404_json(client):
    response = client.get("/api/collections/roads")
    assert response.status_code == 404 and set(response.json) == {"code", "description"}


def test_queryables_are_the_property_filters(client):
    document = client.get("/api/collections/parcels/queryables").json
    assert set(document["properties"]) == {"land_use", "street", "status"}


def test_queryables_media_type_is_schema_json(client):
    response = client.get("/api/collections/parcels/queryables")
    assert response.mimetype == "application/schema+json"


def test_queryables_status_lists_the_statuses(client):
    status = client.get("/api/collections/parcels/queryables").json["properties"]["status"]
    assert status["enum"] == ["available", "negotiating", "sold", "reserve"]


def test_schema_describes_every_feature_property(client):
    feature = client.get("/api/collections/parcels/items/T-001").json
    schema = client.get("/api/collections/parcels/schema").json
    assert set(schema["properties"]) == set(feature["properties"])


@pytest.mark.parametrize("name, kind", [("area_m2", "number"), ("lease_years", ["integer", "null"]),
                                        ("code", "string"), ("far_min", ["number", "null"])])
def test_schema_property_type(client, name, kind):
    schema = client.get("/api/collections/parcels/schema").json
    assert schema["properties"][name]["type"] == kind


@pytest.mark.parametrize("path", DOCUMENTS)
def test_document_is_html_with_f_html(client, path):
    response = client.get(path + "?f=html")
    assert response.status_code == 200 and response.mimetype == "text/html"


@pytest.mark.parametrize("path", DOCUMENTS)
def test_document_is_html_for_a_browser_accept_header(client, path):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get(path, headers={"Accept": accept}).mimetype == "text/html"


@pytest.mark.parametrize("path", DOCUMENTS)
def test_document_is_json_by_default(client, path):
    assert client.get(path).mimetype.endswith("json")


def test_f_json_wins_over_accept_html(client):
    response = client.get("/api/collections?f=json", headers={"Accept": "text/html"})
    assert response.mimetype == "application/json"


def test_html_page_is_in_the_chosen_language(client):
    assert "可查询属性" in client.get("/api/collections/parcels/queryables?f=html&lang=zh").text


def test_html_language_switch_keeps_the_format(client):
    html = client.get("/api/conformance?f=html").text
    assert 'href="?f=html&amp;lang=en"' in html  # a query-only link: stays on this page
