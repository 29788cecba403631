"""The hostile-strings corpus through the API and the vector tiles: every value comes back as the
exact text, answers are 200 or 400 (never 500), and parameter values are echoed only as data."""

import json
import re
from urllib.parse import parse_qs, quote, urlsplit

import mapbox_vector_tile
import pytest
import shapely

from tests.conftest import make_app
from tests.hostile import (
    EVALUATED_MARKERS,
    HOSTILE,
    TEXT_FIELDS,
    hostile_items,
    write_hostile_district,
)
from webapp.domain.filters import MAX_TEXT_LENGTH
from webapp.tiles.grid import tile_containing

API = "/api/collections/parcels"
KEYS = list(HOSTILE)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """An app whose store was imported from the hostile district (one parcel per string)."""
    folder = tmp_path_factory.mktemp("hostile")
    source = write_hostile_district((folder / "source").mkdir() or folder / "source")
    return make_app(folder, source, TEXT_SEARCH_MIN_ZOOM=0)


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def code_of(key: str) -> str:
    """The code the corpus gives the parcel of `key` (tests.hostile)."""
    return f"H-{KEYS.index(key):02d} {HOSTILE[key][:200]}"


def key_of(code: str) -> str:
    return KEYS[int(code[2:4])]


def all_features(client) -> list[dict]:
    response = client.get(f"{API}/items?limit=100")
    assert response.status_code == 200
    return response.get_json()["features"]


def test_hostile_items_return_every_text_exactly(client):
    features = all_features(client)
    assert len(features) == len(HOSTILE)
    for feature in features:
        properties = feature["properties"]
        text = HOSTILE[key_of(properties["code"])]
        assert properties["code"] == code_of(key_of(properties["code"]))
        assert {name: properties[name] for name in TEXT_FIELDS} == dict.fromkeys(TEXT_FIELDS, text)


@pytest.mark.parametrize(("key", "text"), [(k, t) for k, t in hostile_items() if "/" not in t])
def test_hostile_item_by_code_returns_the_exact_text(client, key, text):
    # (a code holding "/" is reached by id: the route's segment cannot hold a slash)
    response = client.get(f"{API}/items/{quote(code_of(key), safe='')}")
    assert response.status_code == 200
    assert response.get_json()["properties"]["name"] == text


@pytest.mark.parametrize(("key", "text"), hostile_items())
def test_hostile_item_by_id_returns_the_exact_text(client, key, text):
    ids = {f["properties"]["code"]: f["id"] for f in all_features(client)}
    response = client.get(f"{API}/items/{ids[code_of(key)]}")
    assert response.get_json()["properties"]["note"] == text


@pytest.mark.parametrize(("key", "text"), hostile_items())
def test_hostile_text_search_finds_its_parcel_or_is_refused(client, key, text):
    response = client.get(f"{API}/items", query_string={"q": text, "limit": 100})
    assert response.status_code == (200 if len(text) <= MAX_TEXT_LENGTH else 400)
    if len(text) <= MAX_TEXT_LENGTH and not re.search(r"\s\s|[^\S ]", text):
        # (q collapses whitespace runs, line separators and tabs to one space)
        codes = [f["properties"]["code"] for f in response.get_json()["features"]]
        assert code_of(key) in codes


@pytest.mark.parametrize(("key", "text"), hostile_items())
def test_hostile_street_filter_finds_its_parcel(client, key, text):
    response = client.get(f"{API}/items", query_string={"street": text, "limit": 100})
    assert response.status_code == 200
    codes = [f["properties"]["code"] for f in response.get_json()["features"]]
    if "," not in text and text.strip() == text:  # commas separate streets
        assert codes == [code_of(key)]


@pytest.mark.parametrize(("key", "text"), hostile_items())
def test_hostile_filters_in_tilejson_carry_the_exact_text(client, key, text):
    response = client.get(f"{API}/tiles/WebMercatorQuad/tilejson.json",
                          query_string={"street": text, "q": text[:MAX_TEXT_LENGTH]})
    assert response.status_code == 200
    query = parse_qs(urlsplit(response.get_json()["tiles"][0]).query, keep_blank_values=True)
    assert query["street"] == [text]


def test_hostile_openapi_document_is_served(client):
    response = client.get("/api/openapi")
    assert response.status_code == 200
    json.loads(response.get_data(as_text=True))


def hostile_tile(app, z: int):
    """The tile holding the first squares of the hostile district."""
    geometry = app.extensions["landgis.store"].get(code_of(KEYS[0])).geometry
    centre = shapely.centroid(geometry)
    return tile_containing(centre.x, centre.y, z)


@pytest.mark.parametrize("z", [12, 14])
def test_hostile_tile_decodes_to_the_exact_codes(app, client, z):
    tile = hostile_tile(app, z)
    response = client.get(f"{API}/tiles/WebMercatorQuad/{tile.z}/{tile.y}/{tile.x}")
    assert response.status_code == 200
    features = mapbox_vector_tile.decode(response.data)["parcels"]["features"]
    codes = {f["properties"]["code"] for f in features}
    assert codes == {code_of(key) for key in KEYS}


@pytest.mark.parametrize(("key", "text"), hostile_items())
def test_hostile_filtered_tile_answers_200_or_400(app, client, key, text):
    tile = hostile_tile(app, 14)
    url = f"{API}/tiles/WebMercatorQuad/{tile.z}/{tile.y}/{tile.x}"
    for query in ({"street": text}, {"q": text}):
        response = client.get(url, query_string=query)
        assert response.status_code in (200, 400)
        if response.status_code == 200 and "street" in query and "," not in text \
                and text.strip() == text:
            features = mapbox_vector_tile.decode(response.data)["parcels"]["features"]
            assert [f["properties"]["code"] for f in features] == [code_of(key)]


PARAMETER_CASES = [
    ("datetime", "</script><script>window.__pwned=1</script>"),
    ("land_use", "<img src=x onerror=alert(1)>"),
    ("limit", "{{7*7}}"),
    ("{{7*7}}", "1"),
    ("</script>", "x"),
]


@pytest.mark.parametrize(("name", "value"), PARAMETER_CASES)
def test_hostile_parameter_is_echoed_only_in_json_data(client, name, value):
    response = client.get(f"{API}/items", query_string={name: value, "f": "html", "lang": "en"},
                          headers={"Accept": "text/html"})
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert name in response.get_json()["description"]
    assert "49" not in response.get_json()["description"]


@pytest.mark.parametrize("value", [v for n, v in PARAMETER_CASES if n == "land_use"] + [
    "{{7*7}}", "</script><script>window.__pwned=1</script>"])
def test_hostile_parameter_is_echoed_escaped_in_an_error_page(client, value):
    page = client.get("/", query_string={"land_use": value, "lang": "en"},
                      headers={"Accept": "text/html"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and page.mimetype == "text/html"
    if "<" in value:
        assert value not in html and "&lt;" in html
    else:
        assert f"“{value}”" in html  # shown as typed, not evaluated
    assert not any(marker in html for marker in EVALUATED_MARKERS) and "“49”" not in html


@pytest.mark.parametrize("value", ["</script>", "{{7*7}}"])
def test_hostile_street_and_text_values_are_answered_as_data(client, value):
    street = client.get(f"{API}/items", query_string={"street": value})
    assert street.status_code == 200 and street.get_json()["numberMatched"] == 0
    text = client.get(f"{API}/items", query_string={"q": value, "limit": 100})
    codes = [f["properties"]["code"] for f in text.get_json()["features"]]
    assert text.status_code == 200
    assert codes == [code_of(k) for k in sorted(KEYS, key=code_of) if value in HOSTILE[k]]


def test_hostile_items_html_page_shows_the_text_escaped(client):
    html = client.get(f"{API}/items?f=html&limit=100&lang=en").get_data(as_text=True)
    assert HOSTILE["script_close"] not in html and HOSTILE["img_onerror"] not in html
    assert "&lt;/script&gt;" in html
    assert not any(marker in html for marker in ("X49Y", "AevaluatedB", "CD "))


def test_hostile_postgis_items_and_tiles_return_the_exact_text(tmp_path):
    from tests.store.postgis_fixtures import postgis_schema_url

    source = write_hostile_district((tmp_path / "source").mkdir() or tmp_path / "source")
    with postgis_schema_url() as url:
        pg_app = make_app(tmp_path, source, STORE_URL=url, TEXT_SEARCH_MIN_ZOOM=0)
        try:
            pg_client = pg_app.test_client()
            test_hostile_items_return_every_text_exactly(pg_client)
            tile = hostile_tile(pg_app, 14)
            url = f"{API}/tiles/WebMercatorQuad/{tile.z}/{tile.y}/{tile.x}"
            features = mapbox_vector_tile.decode(pg_client.get(url).data)["parcels"]["features"]
            assert {f["properties"]["code"] for f in features} == {code_of(k) for k in KEYS}
            for text in HOSTILE.values():
                for query in ({"street": text}, {"q": text}):
                    assert pg_client.get(url, query_string=query).status_code in (200, 400)
        finally:
            pg_app.extensions["landgis.store"].close()
