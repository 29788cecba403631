"""The map page over HTTP: parcels, filters in the URL, clear errors, languages."""

import json
import re

import pytest

from tests.http.pages import islands

EXTERNAL_URL = re.compile(r"""(?:https?:)?//[^\s"'<>)]+""")


def embedded_features(html: str) -> list[dict]:
    """The features of the map's parcel data island."""
    return islands(html)["map_parcels-parcels"]["data"]["features"]


def test_map_page_embeds_every_published_parcel(client):
    html = client.get("/").get_data(as_text=True)
    assert len(embedded_features(html)) == 4
    assert 'data-count="4"' in html


def test_map_page_coordinates_rounded_to_six_decimals(client):
    features = embedded_features(client.get("/").get_data(as_text=True))
    ring = features[0]["geometry"]["coordinates"][0][0]
    assert all(len(str(x).split(".")[1]) <= 6 for x in ring[0])


def test_map_page_styles_are_looked_up_per_land_use(client):
    html = client.get("/").get_data(as_text=True)
    options = islands(html)["map_parcels-parcels"]["options"]
    assert set(options["colors"]) == {"100101", "110101", "0901", "1401"}
    assert "fillColor" not in json.dumps(embedded_features(html))


def test_map_page_filter_narrows_parcels_and_list(client):
    html = client.get("/?land_use=1001&land_use=1401").get_data(as_text=True)
    assert [f["properties"]["code"] for f in embedded_features(html)] == ["T-001", "T-004"]
    assert html.count('data-parcel-id="') == 2
    assert re.search(r'value="1401"[^>]* checked', html)


def test_map_page_shows_count_and_total_area(client):
    html = client.get("/?lang=en&status=available").get_data(as_text=True)
    assert "1 parcel, 14.99 mu in total" in html  # 100 m × 100 m in GK: 14.99 亩 true area


@pytest.mark.parametrize(("query", "field", "message"), [
    ("land_use=9999", "land_use", "unknown land-use code “9999”"),
    ("area_min=abc", "area_min", "“abc” is not a number"),
    ("area_min=9&area_max=1", "area_min", "minimum area is larger than maximum area"),
    ("status=gone", "status", "unknown status “gone”"),
])
def test_map_page_bad_filter_is_400_with_message_beside_field(client, query, field, message):
    response = client.get(f"/?lang=en&{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'<p class="field-error" id="error-{field}" >{message}' in html
    assert "Traceback" not in html
    assert "map_parcels-parcels" in islands(html)  # the map page itself, not an error page


def test_map_page_bad_filter_message_in_chinese_by_default(client):
    response = client.get("/?land_use=9999")
    assert "未知的用地代码“9999”" in response.get_data(as_text=True)


def test_map_page_is_chinese_by_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html and "筛选地块" in html


def test_map_page_language_choice_is_remembered(client):
    first = client.get("/?lang=en")
    assert "Filter parcels" in first.get_data(as_text=True)
    assert "lang=en" in first.headers["Set-Cookie"]
    assert "Filter parcels" in client.get("/").get_data(as_text=True)


def test_map_page_language_switch_keeps_filters(client):
    html = client.get("/?status=sold").get_data(as_text=True)
    assert 'href="?status=sold&amp;lang=en"' in html  # relative: stays on this page


def test_map_page_land_use_names_follow_language(client):
    assert "一类工业用地" in client.get("/?lang=zh").get_data(as_text=True)
    assert "一类工业用地" not in client.get("/?lang=en").get_data(as_text=True)


def test_map_page_without_basemap_has_no_tile_layer(tmp_path):
    from tests.conftest import DATA, make_app

    html = make_app(tmp_path, DATA / "small.geojson", BASEMAP_URL="").test_client().get(
        "/").get_data(as_text=True)
    assert "L.tileLayer" not in html and len(embedded_features(html)) == 4


def test_map_page_too_many_parcels_asks_to_filter(tmp_path):
    from tests.conftest import DATA, make_app

    app = make_app(tmp_path, DATA / "small.geojson", MAX_EMBED_PARCELS=2)
    html = app.test_client().get("/?lang=en").get_data(as_text=True)
    assert "Narrow the filter" in html and "addParcelLayer" not in html


@pytest.mark.parametrize("path", ["/", "/?land_use=1001", "/parcels/T-001", "/nope"])
def test_pages_link_nothing_external_but_the_basemap(client, path):
    html = client.get(path).get_data(as_text=True)
    external = {u for u in EXTERNAL_URL.findall(html)
                if "tiles.example.test" not in u and not u.startswith("http://localhost/")}
    assert not external


def test_pages_send_security_headers(client):
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "https://tiles.example.test" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_map_page_viewport_allows_pinch_zoom(client):
    html = client.get("/").get_data(as_text=True)
    assert "user-scalable=no" not in html and "maximum-scale" not in html
