"""GET /api/select: the same requirement as /select, answered as JSON that OpenAPI documents;
distances checked against an independent geodesic computation; 400 on bad input."""

import pytest
import shapely
from openapi_schema_validator import OAS30Validator
from pyproj import Geod

from tests.conftest import SAMPLE, make_app
from tests.selection_layers import INTERCHANGES, REQUIREMENT, add_selection_layers
from webapp.api.params import parameters
from webapp.api.selection import SELECT_PARAMETERS

GEOD = Geod(ellps="WGS84")
GROUPS = "land_use=10&area_min=150&area_max=200"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The sample district with an interchanges and a housing layer (read-only tests)."""
    made = make_app(tmp_path_factory.mktemp("select-api"), SAMPLE)
    add_selection_layers(made.extensions["landgis.store"])
    return made


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def answer(client) -> dict:
    response = client.get(f"/api/select?{REQUIREMENT}&lang=en")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture(scope="module")
def selection_schema(client) -> OAS30Validator:
    document = client.get("/api/openapi").get_json()
    return OAS30Validator({"$ref": "#/components/schemas/Selection",
                           "components": document["components"]})


def test_select_api_answers_json(client):
    response = client.get(f"/api/select?{REQUIREMENT}")
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_select_api_answer_follows_its_schema(answer, selection_schema):
    selection_schema.validate(answer)


def test_select_api_groups_answer_follows_its_schema(client, selection_schema):
    answer = client.get(f"/api/select?{GROUPS}&geometry=true").get_json()
    assert answer["groups"]
    selection_schema.validate(answer)


def test_select_api_echoes_the_canonical_requirement(answer):
    requirement = answer["requirement"]
    assert requirement["query"] == REQUIREMENT
    assert requirement["constraints"] == [{"layer": "interchanges", "op": "near",
                                           "metres": 5000.0, "required": True}]
    assert requirement["status"] == ["available"]


def test_select_api_counts(answer):
    assert 0 < answer["numberMatched"] <= answer["numberCandidates"]
    assert answer["numberReturned"] == len(answer["results"]) == answer["numberMatched"]
    assert sum(answer["rejected"].values()) == (answer["numberCandidates"]
                                                - answer["numberMatched"])


def test_select_api_results_are_ranked_by_score(answer):
    scores = [r["score"] for r in answer["results"]]
    assert scores == sorted(scores, reverse=True)
    assert [r["rank"] for r in answer["results"]] == list(range(1, len(scores) + 1))


def test_select_api_every_result_meets_the_requirement(answer):
    for result in answer["results"]:
        assert 20 <= result["areaMu"] <= 80
        assert result["priceStartWan"] is None or result["priceStartWan"] <= 3000
        assert result["landUse"].startswith("10")
        assert result["distances"]["interchanges"]["distanceM"] <= 5000


def test_select_api_reasons_carry_code_text_and_values(answer):
    reasons = answer["results"][0]["reasons"]
    assert [r["code"] for r in reasons] == ["area", "price", "distance"]
    distance = reasons[2]
    assert distance["values"]["distance_m"] == answer["results"][0]["distances"][
        "interchanges"]["distanceM"]
    assert distance["text"].endswith("(within 5 km)")
    assert distance["values"]["feature"] in distance["text"]


def test_select_api_reasons_follow_the_language(client):
    answer = client.get(f"/api/select?{REQUIREMENT}&lang=zh").get_json()
    assert "亩，要求 20–80 亩" in answer["results"][0]["reasons"][0]["text"]


def geodesic_distance_m(polygon, point) -> float:
    """Shortest WGS84 ellipsoid distance from a point outside a polygon to its boundary,
    measured with pyproj's Geod to the boundary densified every ~1 m."""
    boundary = shapely.segmentize(polygon.exterior, 0.00001)
    lons, lats = shapely.get_coordinates(boundary).T
    _, _, distances = GEOD.inv(lons, lats, [point.x] * len(lons), [point.y] * len(lats))
    return float(min(distances))


def test_select_api_distances_match_a_geodesic_computation(client):
    answer = client.get(f"/api/select?{REQUIREMENT}&geometry=true").get_json()
    points = dict(INTERCHANGES)
    for result in answer["results"][:5]:
        nearest = result["distances"]["interchanges"]
        polygon = shapely.geometry.shape(result["geometry"])
        polygon = max(getattr(polygon, "geoms", [polygon]), key=lambda p: p.area)
        expected = min(geodesic_distance_m(polygon, p) for p in points.values())
        assert nearest["distanceM"] == pytest.approx(expected, rel=0.01)
        assert nearest["featureName"] in points


def test_select_api_geometry_is_left_out_by_default(answer):
    assert "geometry" not in answer["results"][0]


def test_select_api_limit_caps_the_results(client):
    answer = client.get(f"/api/select?{REQUIREMENT}&limit=3").get_json()
    assert answer["numberReturned"] == len(answer["results"]) == 3
    assert answer["numberMatched"] > 3


def test_select_api_groups_carry_members_and_outline(client):
    answer = client.get(f"/api/select?{GROUPS}&geometry=true").get_json()
    group = answer["groups"][0]
    assert 2 <= len(group["parcels"]) <= 3
    assert 150 <= group["areaMu"] <= 200 and group["outlineAreaMu"] >= group["areaMu"]
    assert group["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert group["description"]["code"] == "group"
    member_ids = [{p["id"] for p in g["parcels"]} for g in answer["groups"]]
    assert all(not a & b for i, a in enumerate(member_ids) for b in member_ids[i + 1:])


def test_select_api_too_broad_ranks_nothing(tmp_path):
    client = make_app(tmp_path, SAMPLE, SELECT_MAX_CANDIDATES=10).test_client()
    answer = client.get("/api/select?lang=en").get_json()
    assert answer["tooBroad"] is True and answer["numberMatched"] is None
    assert answer["results"] == [] and "More than 10 parcels" in answer["advice"]


def test_select_api_nothing_found_gives_advice(client):
    answer = client.get("/api/select?land_use=10&near=interchanges:10&lang=en").get_json()
    assert answer["numberMatched"] == 0
    assert set(answer["rejected"]) == {"near:interchanges"}
    assert "farther than 10 m from 高速互通" in answer["advice"]


@pytest.mark.parametrize(("query", "parameter"), [
    ("area_min=80&area_max=20", "area_min"),
    ("far_min=3&far_max=1", "far_min"),
    ("budget_max=-1", "budget_max"),
    ("lease_min=x", "lease_min"),
    ("near=nowhere:100", "near"),
    ("near=interchanges:10:maybe", "near"),
    ("far=housing", "far"),
    ("near=interchanges:1&near=interchanges:2&near=interchanges:3&near=interchanges:4"
     "&far=housing:5&far=housing:6", "far"),
    ("land_use=77", "land_use"),
    ("status=gone", "status"),
    ("geometry=yes", "geometry"),
    ("limit=0", "limit"),
    ("bbox=1,2,3,4", "bbox"),
])
def test_select_api_bad_input_is_invalid_parameter_value(client, query, parameter):
    response = client.get(f"/api/select?{query}&lang=en")
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "InvalidParameterValue"
    assert body["description"].startswith(f"{parameter}: ")


def test_select_api_is_documented_with_registry_parameters(client):
    operation = client.get("/api/openapi").get_json()["paths"]["/select"]["get"]
    assert [p["name"] for p in operation["parameters"]] == list(SELECT_PARAMETERS)
    assert operation["parameters"] == [parameters()[name].openapi()
                                       for name in SELECT_PARAMETERS]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Selection"}
    assert "400" in operation["responses"]
