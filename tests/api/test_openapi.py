"""The OpenAPI document: every /api route, every declared parameter, valid structure."""

import pytest
from openapi_spec_validator import validate

from webapp.api.openapi import api_rules, openapi_path
from webapp.api.params import parameters

OPENAPI = "application/vnd.oai.openapi+json;version=3.0"


@pytest.fixture
def document(client):
    return client.get("/api/openapi").json


def test_openapi_media_type(client):
    assert client.get("/api/openapi").headers["Content-Type"] == OPENAPI


def test_openapi_version_is_3_0(document):
    assert document["openapi"].startswith("3.0.")


def test_openapi_document_is_valid(document):
    validate(document)  # raises on any violation of the OpenAPI 3.0 schema


def test_openapi_server_is_the_api_root(document):
    assert document["servers"] == [{"url": "http://localhost/api"}]


def test_openapi_lists_every_api_route_and_method(small_app, document):
    expected = {(openapi_path(rule.rule), method.lower()) for rule in api_rules(small_app)
                for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert expected and expected <= documented


def test_openapi_api_rules_cover_the_url_map(small_app):
    in_map = {r.rule for r in small_app.url_map.iter_rules() if r.rule.startswith("/api")}
    assert in_map == {r.rule for r in api_rules(small_app)}


def test_openapi_items_parameters_come_from_the_registry(document):
    items = document["paths"]["/collections/parcels/items"]["get"]
    assert items["parameters"] == [parameters()[p["name"]].openapi()
                                   for p in items["parameters"]]


@pytest.mark.parametrize("name", ["limit", "offset", "bbox", "land_use", "street", "status",
                                  "area_min_mu", "area_max_mu"])
def test_openapi_items_declare_parameter(document, name):
    items = document["paths"]["/collections/parcels/items"]["get"]
    assert name in {p["name"] for p in items["parameters"]}


def test_openapi_limit_documents_default_and_maximum(document):
    limit = next(p for p in document["paths"]["/collections/parcels/items"]["get"]["parameters"]
                 if p["name"] == "limit")
    assert limit["schema"]["default"] == 100 and "10000" in limit["description"]


def test_openapi_tile_path_is_z_row_column(document):
    assert "/collections/parcels/tiles/WebMercatorQuad/{z}/{y}/{x}" in document["paths"]


def test_openapi_references_resolve(document):
    text = str(document)
    names = set(document["components"]["schemas"])
    refs = {part.split("'")[0] for part in text.split("#/components/schemas/")[1:]}
    assert refs <= names


def test_openapi_html_lists_the_operations(client):
    html = client.get("/api/openapi?f=html").text
    assert "GET /api/collections/parcels/items" in html


@pytest.mark.parametrize("rule, path", [
    ("/api", "/"),
    ("/api/collections/parcels/items/<feature_id>", "/collections/parcels/items/{feature_id}"),
    ("/api/collections/parcels/items/<int:parcel_id>", "/collections/parcels/items/{parcel_id}"),
])
def test_openapi_path_of_rule(rule, path):
    assert openapi_path(rule) == path


def test_openapi_lists_a_route_declared_elsewhere(tmp_path):
    from tests.conftest import DATA, make_app

    app = make_app(tmp_path, DATA / "small.geojson")

    def report():
        """A route another blueprint adds under /api."""
        return "ok"

    app.add_url_rule("/api/reports/<int:year>", "reports", report, methods=["POST"])
    operation = app.test_client().get("/api/openapi").json["paths"]["/reports/{year}"]["post"]
    assert operation["summary"] == "A route another blueprint adds under /api."
    assert operation["parameters"][0]["name"] == "year"
