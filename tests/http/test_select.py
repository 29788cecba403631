"""The site-selection page /select through the test client: form, ranked shortlist with
reasons, canonical shareable URL, groups, advice when too broad or empty, bad input, hostile
text, print stylesheet and the link from the map page."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.conftest import SAMPLE, make_app
from tests.hostile import HOSTILE, hostile_items, write_hostile_district
from tests.http.pages import assert_inert, islands, shows_as_text
from tests.selection_layers import INTERCHANGES, REQUIREMENT, add_selection_layers

SHORTLIST_CODE = re.compile(r'<li class="shortlist-item" data-code="([^"]+)"')
REASON = re.compile(r'<li class="reason reason-(\w+)">.*?</span> (.*?)</li>', re.S)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The sample district with an interchanges and a housing layer (read-only tests)."""
    made = make_app(tmp_path_factory.mktemp("select"), SAMPLE)
    add_selection_layers(made.extensions["landgis.store"])
    return made


@pytest.fixture
def client(app):
    return app.test_client()


def page(client, query: str = REQUIREMENT, lang: str = "en", status: int = 200) -> str:
    response = client.get(f"/select?{query}&lang={lang}" if query else f"/select?lang={lang}")
    assert response.status_code == status, response.data[:500]
    return response.get_data(as_text=True)


def api_codes(client, query: str = REQUIREMENT) -> list[str]:
    return [r["code"] for r in client.get(f"/api/select?{query}").get_json()["results"]]


def test_select_empty_form_offers_every_field_and_layer(client):
    html = page(client, "")
    for name in ("land_use", "area_min", "area_max", "budget_max", "far_min", "far_max",
                 "lease_min", "street", "status", "d_layer", "d_op", "d_m", "d_kind"):
        assert f'name="{name}"' in html, name
    assert html.count('name="d_layer"') == 3
    assert '<option value="interchanges"' in html and ">高速互通</option>" in html
    assert 'id="shortlist"' in html and "shortlist-item" not in html


def test_select_lists_the_ranked_shortlist_of_the_api(client):
    html = page(client)
    codes = SHORTLIST_CODE.findall(html)
    assert codes and codes == api_codes(client)[:20]


def test_select_each_result_says_why(client):
    html = page(client)
    first = html.split('<li class="shortlist-item"')[1].split("</li>\n        \n")[0]
    reasons = [text for _, text in REASON.findall(first)]
    assert re.fullmatch(r"[\d.]+ mu, needs 20–80", reasons[0])
    assert re.fullmatch(r"starting price [\d,.]+ × 10,000 yuan, \d+% under budget", reasons[1])
    assert re.fullmatch(r"[\d.]+ km to (马鞍山东互通|慈湖互通|桃源互通) \(within 5 km\)",
                        reasons[2])


def test_select_reasons_are_translated(client):
    html = page(client, lang="zh")
    assert "亩，要求 20–80 亩" in html and "（要求 5 km 以内）" in html


def test_select_summary_counts_the_matches(client):
    matched = client.get(f"/api/select?{REQUIREMENT}").get_json()["numberMatched"]
    html = page(client)
    assert f'data-count="{matched}"' in html


def test_select_map_highlights_the_shortlist_by_rank(client):
    data = islands(page(client))["map_shortlist-shortlist"]["data"]
    ranks = [f["properties"]["rank"] for f in data["parcels"]["features"]]
    codes = [f["properties"]["code"] for f in data["parcels"]["features"]]
    assert ranks == list(range(1, len(ranks) + 1))
    assert codes == api_codes(client)[:20]


def test_select_form_submission_redirects_to_the_canonical_url(client):
    response = client.get("/select?land_use=10&area_min=20&area_max=80&budget_max=3000"
                          "&far_min=&far_max=&lease_min=&status=available"
                          "&d_op=near&d_m=5000&d_layer=interchanges&d_kind=required"
                          "&d_op=near&d_m=&d_layer=&d_kind=required"
                          "&d_op=far&d_m=&d_layer=&d_kind=preferred")
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.path == "/select"
    assert parse_qsl(location.query) == parse_qsl(REQUIREMENT)
    assert ":" in location.query  # readable: near=interchanges:5000


def test_select_form_row_preferred_becomes_the_suffix(client):
    response = client.get("/select?d_op=far&d_m=500&d_layer=housing&d_kind=preferred")
    assert response.headers["Location"].endswith("/select?far=housing:500:preferred")


def test_select_shared_url_fills_the_form(client):
    html = page(client, REQUIREMENT + "&far=housing:800:preferred")
    assert 'name="area_min" min="0" step="any" inputmode="decimal" placeholder="min" ' \
           'aria-label="Minimum area in mu" value="20"' in html
    assert '<option value="housing" selected>' in html
    assert '<option value="preferred" selected>' in html
    assert 'value="800"' in html


@pytest.mark.parametrize(("query", "parameter"), [
    ("area_min=80&area_max=20", "area_min"),
    ("budget_max=cheap", "budget_max"),
    ("near=nowhere:100", "near"),
    ("near=interchanges", "near"),
    ("far=housing:-5", "far"),
    ("land_use=99", "land_use"),
    ("status=lost", "status"),
    ("d_op=near&d_m=abc&d_layer=interchanges&d_kind=required", "near"),
])
def test_select_bad_input_is_a_400_with_the_form_and_a_message(client, query, parameter):
    html = page(client, query, status=400)
    message = re.search(r'id="select-error">([^<]*)<', html).group(1)
    assert message.startswith(f"{parameter}: ")
    assert 'id="select-form"' in html


def test_select_too_broad_asks_to_narrow(tmp_path):
    small_cap = make_app(tmp_path, SAMPLE, SELECT_MAX_CANDIDATES=10).test_client()
    html = page(small_cap, "area_min=1")
    assert 'id="select-advice"' in html and "More than 10 parcels" in html
    assert "shortlist-item" not in html


def test_select_nothing_found_says_what_excluded_the_candidates(client):
    html = page(client, "land_use=10&area_min=20&area_max=80&near=interchanges:100")
    advice = re.search(r'id="select-advice">([^<]*)<', html).group(1)
    assert "none meets every requirement" in advice
    assert "are farther than 100 m from 高速互通" in advice


def test_select_nothing_matching_the_attributes_says_to_widen(client):
    html = page(client, "area_min=100000")
    assert "Widen the area range" in html


def test_select_offers_groups_when_no_single_parcel_is_large_enough(client):
    html = page(client, "land_use=10&area_min=150&area_max=200")
    assert 'id="groups"' in html and "adjacent parcels together" in html
    outlines = islands(html)["map_shortlist-shortlist"]["data"]["groups"]["features"]
    assert outlines and all(f["geometry"]["type"] in ("Polygon", "MultiPolygon")
                            for f in outlines)


def test_select_explains_the_score(client):
    assert 'id="score-help"' in page(client)


def test_select_page_links_its_print_stylesheet(client):
    html = page(client)
    assert "/static/landgis/select.css" in html
    css = client.get("/static/landgis/select.css").get_data(as_text=True)
    assert "@media print" in css


def test_select_is_linked_from_the_map_page_header(client):
    html = client.get("/").get_data(as_text=True)
    header = html.split('<header class="site-header">')[1].split("</header>")[0]
    assert 'href="/select"' in header


def test_select_page_is_inert(client):
    assert_inert(page(client))


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    """The hostile district (every text field a corpus string) with corpus layer titles and
    feature names."""
    folder = tmp_path_factory.mktemp("select-hostile")
    made = make_app(folder / "app", write_hostile_district(folder))
    points = [(text[:200], shape) for text, (_, shape) in zip(HOSTILE.values(),
                                                             INTERCHANGES * 10, strict=False)]
    add_selection_layers(made.extensions["landgis.store"], HOSTILE["script_close"], points)
    return made.test_client()


@pytest.fixture(scope="module")
def hostile_html(hostile_client) -> str:
    """The hostile district's shortlist page, rendered once."""
    return page(hostile_client, "area_min=1&near=interchanges:100000:preferred")


def test_select_hostile_page_is_inert(hostile_html):
    assert_inert(hostile_html)


@pytest.mark.parametrize(("key", "text"), [(k, t) for k, t in hostile_items() if len(t) <= 200],
                         ids=[k for k, t in hostile_items() if len(t) <= 200])
def test_select_hostile_text_shows_as_text(hostile_html, key, text):
    assert shows_as_text(hostile_html, text), key


@pytest.mark.parametrize(("key", "text"), [(k, t) for k, t in hostile_items() if len(t) <= 100],
                         ids=[k for k, t in hostile_items() if len(t) <= 100])
def test_select_hostile_street_in_the_url_is_refused_or_echoed_as_text(hostile_client, key,
                                                                       text):
    response = hostile_client.get("/select", query_string={"street": text, "lang": "en"})
    assert response.status_code in (200, 400)
    assert_inert(response.get_data(as_text=True))


def test_select_says_when_there_are_too_many_small_parcels_for_groups(tmp_path):
    small_cap = make_app(tmp_path, SAMPLE, SELECT_MAX_CANDIDATES=20).test_client()
    assert 'id="groups-too-broad"' in page(small_cap, "area_min=150&area_max=200")
