"""The map page's filters over HTTP: the JSON filters.js applies in place, sorting, fields set
aside with their message, unknown streets, empty results that offer to widen the filter."""

import re
from urllib.parse import quote

import pytest

from tests.conftest import make_app
from tests.hostile import HOSTILE
from tests.http.pages import islands
from webapp.domain.filter_form import MAX_LIST_OFFSET
from webapp.domain.filters import ParcelFilter
from webapp.domain.parcel_order import SORTS

SAMPLE_TOTAL = 360


@pytest.fixture(scope="module")
def tile_client(tmp_path_factory):
    """The small district served as a tile map (threshold 0)."""
    from tests.conftest import DATA

    return make_app(tmp_path_factory.mktemp("tiles"), DATA / "small.geojson",
                    TILE_MAP_THRESHOLD=0).test_client()


def listed_ids(html: str) -> list[int]:
    """Parcel ids of the page's result list, in order."""
    return [int(i) for i in re.findall(r'class="result" data-parcel-id="(\d+)"', html)]


def test_map_data_gives_list_count_and_map(sample_client):
    data = sample_client.get("/map/data?land_use=10&land_use=11").get_json()
    store = sample_client.application.extensions["landgis.store"]
    expected = store.query(ParcelFilter(land_uses=("10", "11")), limit=None).number_matched
    assert data["numberMatched"] == expected == len(data["items"])
    assert len(data["features"]["features"]) == expected
    assert data["href"] == "/?land_use=10&land_use=11"
    assert {"code", "status", "statusName", "url", "areaMu"} <= set(data["items"][0])
    assert data["errors"] == {} and data["widen"] == []


def test_map_data_without_map_when_too_many(tmp_path):
    from tests.conftest import DATA

    client = make_app(tmp_path, DATA / "small.geojson", MAX_EMBED_PARCELS=2).test_client()
    data = client.get("/map/data").get_json()
    assert data["tooMany"] is True and "features" not in data
    assert data["numberMatched"] == 4


def test_map_data_in_tile_mode_pages_list_with_bboxes(tile_client):
    data = tile_client.get("/map/data?offset=1&sort=code").get_json()
    assert [item["code"] for item in data["items"]] == ["T-002", "T-003", "T-004"]
    assert all(len(item["bbox"]) == 4 for item in data["items"])
    assert "features" not in data and "/tiles/" in data["tileUrl"]
    assert data["offset"] == 1


@pytest.mark.parametrize("offset", ["-1", "x", "1.5", str(MAX_LIST_OFFSET + 1), "١"])
def test_map_data_bad_offset_is_json_400(client, offset):
    response = client.get(f"/map/data?offset={quote(offset)}&lang=en",
                          headers={"Accept": "application/json"})  # as filters.js asks
    assert response.status_code == 400
    assert response.is_json and "offset" in response.get_json()["description"]


@pytest.mark.parametrize(("query", "field"), [
    ("land_use=9999&status=sold", "land_use"), ("area_min=x&status=sold", "area_min"),
    ("area_max=1e999&status=sold", "area_max"), ("sort=price&sort=-area&status=sold", "sort"),
    ("sort=name&status=sold", "sort"),
])
def test_map_data_bad_field_is_400_and_keeps_the_others(client, query, field):
    response = client.get(f"/map/data?{query}&lang=en")
    assert response.status_code == 400
    data = response.get_json()
    assert set(data["errors"]) == {field}
    assert data["numberMatched"] == 1  # status=sold still applies
    assert ("status", "sold") in [tuple(pair) for pair in data["query"]]


def test_api_keeps_json_400_for_bad_filter(client):
    response = client.get("/api/collections/parcels/items?land_use=9999")
    assert response.status_code == 400 and response.is_json


@pytest.mark.parametrize("sort", SORTS)
def test_map_page_lists_in_sort_order(sample_client, sort):
    store = sample_client.application.extensions["landgis.store"]
    expected = [p.id for p in store.query(ParcelFilter(), limit=500, sort=sort).parcels]
    html = sample_client.get(f"/?sort={quote(sort)}").get_data(as_text=True)
    assert listed_ids(html) == expected
    assert re.search(rf'<option value="{re.escape(sort)}" selected>', html)


def test_map_page_default_order_puts_available_first(sample_client):
    html = sample_client.get("/").get_data(as_text=True)
    statuses = re.findall(r'data-parcel-id="\d+" data-status="(\w+)"', html)
    assert len(statuses) == SAMPLE_TOTAL
    first_other = next(i for i, s in enumerate(statuses) if s != "available")
    assert statuses[:first_other] == ["available"] * first_other
    assert "available" not in statuses[first_other:]


def test_map_page_sort_by_area_largest_first(sample_client):
    store = sample_client.application.extensions["landgis.store"]
    areas = {p.id: p.area_m2 for p in store.query(ParcelFilter(), limit=None).parcels}
    ids = listed_ids(sample_client.get("/?sort=-area").get_data(as_text=True))
    assert [areas[i] for i in ids] == sorted(areas.values(), reverse=True)


def test_map_page_bad_sort_is_400_beside_the_sort_field(client):
    response = client.get("/?lang=en&sort=name&land_use=1001")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'id="error-sort" >unknown order “name”', html)
    assert len(listed_ids(html)) == 1  # the land-use filter still applies
    assert re.search(r'value="100101"[^>]* checked', html)


def test_map_page_unknown_street_is_named_not_all_streets(client):
    html = client.get("/?lang=en&street=" + quote("无此街道")).get_data(as_text=True)
    assert '<option value="无此街道" selected>无此街道 (no parcels)</option>' in html
    assert "No published parcel lies on the street “无此街道”." in html
    assert listed_ids(html) == []


def test_map_page_empty_result_offers_wider_filters(client):
    response = client.get("/?lang=en&land_use=1001&status=sold")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and listed_ids(html) == []
    notice = re.search(r'<div class="map-notice" id="map-notice" role="status" >(.*?)</div>',
                       html, re.S)
    assert notice, "the empty-result notice is shown"
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', notice.group(1))
    assert links == [("/?status=sold", "Without the land use filter"),
                     ("/?land_use=1001", "Without the status filter"), ("/", "Show all parcels")]


def test_map_page_with_results_hides_the_notice(client):
    html = client.get("/?land_use=1001").get_data(as_text=True)
    assert '<div class="map-notice" id="map-notice" role="status" hidden>' in html


def test_map_page_class_checkbox_covers_sub_codes(client):
    html = client.get("/?land_use=10").get_data(as_text=True)
    assert re.search(r'value="10" data-lu-class="10" checked', html)
    assert re.search(r'value="100101" data-lu-parent="10" checked', html)
    assert listed_ids(html) == [1]


def test_map_page_filter_texts_island_names_map_mode(client):
    html = client.get("/?sort=-area").get_data(as_text=True)
    assert islands(html)["filter-texts"]["mapMode"] == "embedded"


@pytest.mark.parametrize("key", list(HOSTILE))
def test_map_data_hostile_text_stays_data(client, key):
    text = HOSTILE[key][:100]
    response = client.get("/map/data?q=" + quote(text) + "&street=" + quote(text[:50]))
    assert response.status_code in (200, 400) and response.is_json
    page = client.get("/?q=" + quote(text))
    assert page.status_code in (200, 400)
    body = page.get_data(as_text=True)
    assert "<script>alert" not in body and "{{7*7}}" not in body.replace("{{ 7*7 }}", "")
