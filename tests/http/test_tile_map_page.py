"""The map page of a large district over HTTP: vector tiles, no parcel data in the HTML."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.conftest import DATA, SAMPLE, make_app
from tests.http.pages import islands
from webapp.domain.errors import ConfigError

EXTERNAL_URL = re.compile(r"""(?:https?:)?//[^\s"'<>)]+""")
BASEMAP_HOST = "tiles.example.test"
SMALL_CODES = ("T-001", "T-002", "T-003", "T-004")
HTML_LIMIT_BYTES = 40_000  # the 4-parcel page is about 10 kB; no per-parcel data may be added


@pytest.fixture
def tile_client(tmp_path):
    """Client of the four-parcel district with the tile map threshold below its size."""
    return make_app(tmp_path, DATA / "small.geojson", TILE_MAP_THRESHOLD=2).test_client()


def tile_options(html: str) -> dict:
    """The options the page hands to landgis.addTileLayer (in its data island)."""
    assert 'landgis.addTileLayer(map_parcels, "map_parcels-tiles")' in html, "no tile layer"
    return islands(html)["map_parcels-tiles"]


def test_tile_map_used_above_threshold(tile_client):
    html = tile_client.get("/").get_data(as_text=True)
    assert "landgis.addTileLayer(" in html
    assert "landgis.addParcelLayer(" not in html


@pytest.mark.parametrize("threshold", [4, 5000])
def test_embedded_map_used_up_to_threshold(tmp_path, threshold):
    client = make_app(tmp_path, DATA / "small.geojson", TILE_MAP_THRESHOLD=threshold).test_client()
    html = client.get("/").get_data(as_text=True)
    assert "landgis.addParcelLayer(" in html
    assert "landgis.addTileLayer(" not in html


def test_sample_district_keeps_embedded_map_by_default(tmp_path):
    html = make_app(tmp_path, SAMPLE).test_client().get("/").get_data(as_text=True)
    assert "landgis.addParcelLayer(" in html


def test_tile_map_page_has_no_parcel_data(tile_client):
    html = tile_client.get("/").get_data(as_text=True)
    assert not any(code in html for code in SMALL_CODES)
    assert "coordinates" not in html
    assert "data-parcel-id" not in html


def test_tile_map_page_stays_small(tile_client):
    assert len(tile_client.get("/").get_data()) < HTML_LIMIT_BYTES


def test_tile_map_tile_url_template_addresses_the_tile_endpoint(tile_client):
    url = tile_options(tile_client.get("/").get_data(as_text=True))["tileUrl"]
    assert url == "/api/collections/parcels/tiles/WebMercatorQuad/{z}/{y}/{x}"


@pytest.mark.parametrize(("query", "expected"), [
    ("land_use=1001&land_use=1401", [("land_use", "1001,1401")]),
    ("status=available&status=sold", [("status", "available,sold")]),
    ("street=慈湖街道", [("street", "慈湖街道")]),
    ("area_min=10&area_max=20.5", [("area_min_mu", "10"), ("area_max_mu", "20.5")]),
    ("q=a{b}", [("q", "a{b}")]),
])
def test_tile_map_filters_reach_tile_and_list_urls(tile_client, query, expected):
    options = tile_options(tile_client.get(f"/?{query}").get_data(as_text=True))
    for name in ("tileUrl", "itemsUrl"):
        assert parse_qsl(urlsplit(options[name]).query) == expected
    assert "{" not in urlsplit(options["tileUrl"]).query  # braces would be template variables


def test_tile_map_bbox_reaches_list_only(tile_client):
    options = tile_options(tile_client.get("/?bbox=118.5,31.7,118.51,31.71").get_data(as_text=True))
    assert parse_qsl(urlsplit(options["itemsUrl"]).query) == [("bbox", "118.5,31.7,118.51,31.71")]
    assert "bbox" not in options["tileUrl"]  # the tile endpoint has no bbox: the map is zoomed
    assert options["bounds"] == [[31.7, 118.5], [31.71, 118.51]]


@pytest.mark.parametrize("query", ["", "land_use=1001&status=available"])
def test_tile_map_filtered_tile_url_is_served(tile_client, query):
    template = tile_options(tile_client.get(f"/?{query}").get_data(as_text=True))["tileUrl"]
    response = tile_client.get(template.format(z=14, y=6669, x=13585))
    assert response.status_code == 200
    assert response.content_type == "application/vnd.mapbox-vector-tile"


def test_tile_map_styles_and_names_every_district_land_use(tile_client):
    options = tile_options(tile_client.get("/?land_use=1401").get_data(as_text=True))
    assert set(options["colors"]) == {"100101", "110101", "0901", "1401"}
    assert set(options["texts"]["landUses"]) == set(options["colors"])


def test_tile_map_links_no_external_url_but_basemap(tile_client):
    html = tile_client.get("/").get_data(as_text=True)
    external = [u for u in EXTERNAL_URL.findall(html) if urlsplit(u).hostname != BASEMAP_HOST]
    assert external == []


def test_tile_map_links_vendored_vectorgrid(tile_client):
    html = tile_client.get("/").get_data(as_text=True)
    assert '<script src="/static/vendor/leaflet.vectorgrid/1.2.0/' in html
    assert tile_client.get("/static/landgis/tile-map.js").status_code == 200


@pytest.mark.parametrize(("lang", "text"), [("zh", "正在加载地块"), ("en", "Loading parcels")])
def test_tile_map_list_texts_translated(tile_client, lang, text):
    html = tile_client.get(f"/?lang={lang}").get_data(as_text=True)
    assert text in html
    assert "__NUM__" in tile_options(html)["texts"]["summaryOther"]


def test_items_report_total_area_of_all_matches(client):
    document = client.get("/api/collections/parcels/items?limit=1").get_json()
    assert document["numberReturned"] == 1
    assert document["totalAreaM2"] > document["features"][0]["properties"]["area_m2"]


def test_tile_map_threshold_below_zero_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="TILE_MAP_THRESHOLD"):
        make_app(tmp_path, DATA / "small.geojson", TILE_MAP_THRESHOLD=-1)
