"""The OpenAPI document: every /api route, every declared parameter, valid structure."""

import pytest
from openapi_spec_validator import validate

from webapp.api.openapi import api_rules, openapi_path
from webapp.api.params import parameters
from webapp.domain.edits import EDITABLE_FIELDS
from webapp.errors import error_codes

OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
ITEM = "/collections/parcels/items/{feature_id}"
PATCH_STATUSES = {"200", "400", "401", "403", "404", "412", "413", "422", "428", "429", "503"}


@pytest.fixture
def document(client):
    return client.get("/api/openapi").json


@pytest.fixture
def patch_item(document):
    return document["paths"][ITEM]["patch"]


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


@pytest.mark.parametrize("name", ["limit", "offset", "cursor", "bbox", "land_use", "street",
                                  "status", "area_min_mu", "area_max_mu"])
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


def test_openapi_patch_item_is_a_declared_features_operation(patch_item):
    assert (patch_item["operationId"], patch_item["tags"]) == ("api.update_item", ["features"])


def test_openapi_patch_item_parameters_come_from_the_registry(patch_item):
    assert patch_item["parameters"] == [parameters()[name].openapi()
                                        for name in ("lang", "feature_id", "If-Match")]


def test_openapi_if_match_is_an_optional_header(patch_item):
    header = next(p for p in patch_item["parameters"] if p["name"] == "If-Match")
    assert (header["in"], header["required"]) == ("header", False)


def test_openapi_patch_item_body_is_one_of_changes_or_a_partial_feature(patch_item):
    body = patch_item["requestBody"]
    assert body["required"] is True
    assert set(body["content"]) == {"application/json", "application/merge-patch+json",
                                    "application/geo+json"}
    assert {m["schema"]["$ref"] for m in body["content"].values()} == {
        "#/components/schemas/ParcelPatch"}


def test_openapi_parcel_changes_are_exactly_the_editable_fields(document):
    changes = document["components"]["schemas"]["ParcelChanges"]
    assert list(changes["properties"]) == list(EDITABLE_FIELDS)
    assert changes["additionalProperties"] is False and changes["minProperties"] == 1


def test_openapi_patch_item_needs_a_staff_session_and_its_csrf_token(document, patch_item):
    assert patch_item["security"] == [{"staffSession": [], "csrfToken": []}]
    schemes = document["components"]["securitySchemes"]
    assert (schemes["staffSession"]["in"], schemes["staffSession"]["name"]) == ("cookie",
                                                                                "session")
    assert (schemes["csrfToken"]["in"], schemes["csrfToken"]["name"]) == ("header",
                                                                          "X-CSRFToken")


def test_openapi_patch_item_lists_every_answer(patch_item):
    assert set(patch_item["responses"]) == PATCH_STATUSES


@pytest.mark.parametrize("status", ["200", "412"])
def test_openapi_patch_item_answer_carries_etag(patch_item, status):
    assert "ETag" in patch_item["responses"][status]["headers"]


def test_openapi_read_operations_need_no_security(document):
    reads = [op for ops in document["paths"].values() for method, op in ops.items()
             if method == "get"]
    assert reads and not any("security" in op for op in reads)


@pytest.mark.parametrize("status", ["429", "503"])
def test_openapi_items_busy_answers_carry_retry_after(document, status):
    response = document["paths"]["/collections/parcels/items"]["get"]["responses"][status]
    assert "Retry-After" in response["headers"]


def test_openapi_error_codes_are_the_error_table(document):
    code = document["components"]["schemas"]["Exception"]["properties"]["code"]
    assert code["enum"] == error_codes()
