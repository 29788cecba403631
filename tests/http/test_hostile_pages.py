"""The hostile corpus imported from a file, in every text field, on every page that shows parcels.

Each page answers 200, evaluates no template, lets no value close a script, carries parcel data
only in JSON data islands (parsed back to the exact text) and shows the text HTML-escaped.
"""

from urllib.parse import quote

import pytest

from tests.conftest import make_app
from tests.editing_fixtures import add_staff, client_as
from tests.hostile import HOSTILE, TEXT_FIELDS, hostile_items, write_hostile_district
from tests.http.pages import assert_inert, islands, shows_as_text

KEYS = list(HOSTILE)
SHORT = [(key, text) for key, text in hostile_items() if len(text) <= 100]


def parcel_id(key: str) -> int:
    """The store id of the corpus parcel (imported in corpus order, ids from 1)."""
    return KEYS.index(key) + 1


def hostile_app(folder, **settings):
    """An app on the hostile district, with staff accounts."""
    (folder / "source").mkdir(parents=True)
    app = make_app(folder / "app", write_hostile_district(folder / "source"), **settings)
    add_staff(app)
    return app


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """get(path, role=None, tile=False): a page of the hostile district, fetched once."""
    apps = {False: hostile_app(tmp_path_factory.mktemp("embedded")),
            True: hostile_app(tmp_path_factory.mktemp("tiles"), TILE_MAP_THRESHOLD=0)}
    cache = {}

    def get(path: str, role: str | None = None, tile: bool = False):
        if (path, role, tile) not in cache:
            cache[path, role, tile] = client_as(apps[tile], role).get(path)
        return cache[path, role, tile]

    return get


def html_of(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    html = response.get_data(as_text=True)
    assert_inert(html)
    return html


def embedded_features(html: str) -> dict[int, dict]:
    """Parcel properties by id from the map's data island."""
    data = islands(html)["map_parcels-parcels"]["data"]
    return {f["id"]: f["properties"] for f in data["features"]}


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=KEYS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_page_embeds_hostile_text_as_data(pages, key, text, lang):
    html = html_of(pages(f"/?lang={lang}"))
    properties = embedded_features(html)[parcel_id(key)]
    assert (properties["name"], properties["street"]) == (text, text)
    assert shows_as_text(html, text)  # the result list


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=KEYS)
def test_tile_map_page_shows_hostile_street_as_text(pages, key, text):
    html = html_of(pages("/", tile=True))
    assert "map_parcels-tiles" in islands(html)
    assert shows_as_text(html, text)  # the street filter's options


@pytest.mark.parametrize(("key", "text"), SHORT, ids=[k for k, _ in SHORT])
@pytest.mark.parametrize("tile", [False, True], ids=["embedded", "tiles"])
@pytest.mark.parametrize("parameter", ["q", "street"])
def test_map_page_filter_with_hostile_value_is_inert(pages, key, text, tile, parameter):
    response = pages(f"/?{parameter}={quote(text)}", tile=tile)
    assert response.status_code in (200, 400)
    assert_inert(response.get_data(as_text=True))


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=KEYS)
@pytest.mark.parametrize("role", [None, "editor"], ids=["public", "staff"])
def test_parcel_page_shows_hostile_text(pages, key, text, role):
    html = html_of(pages(f"/parcels/{parcel_id(key)}", role))
    assert shows_as_text(html, text)
    properties = embedded_features_of_parcel(html)
    assert all(properties[name] == text for name in ("name", "street"))


def embedded_features_of_parcel(html: str) -> dict:
    data = islands(html)["map_parcel-parcels"]["data"]
    assert len(data["features"]) == 1
    return data["features"][0]["properties"]


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=KEYS)
@pytest.mark.parametrize("path", ["/admin/parcels", "/admin/parcels/{id}/edit"])
def test_staff_pages_show_hostile_text(pages, key, text, path):
    html = html_of(pages(path.format(id=parcel_id(key)) + "?lang=en", "editor"))
    assert shows_as_text(html, text)


@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=KEYS)
@pytest.mark.parametrize("path", ["/api/collections/parcels/items?f=html&limit=100",
                                  "/api/collections/parcels/items/{id}?f=html"])
def test_api_html_pages_show_hostile_text(pages, key, text, path):
    html = html_of(pages(path.format(id=parcel_id(key))))
    assert shows_as_text(html, text)


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize(("key", "text"), hostile_items(), ids=KEYS)
def test_api_json_returns_hostile_text_unchanged(pages, key, text, field):
    properties = pages(f"/api/collections/parcels/items/{parcel_id(key)}").json["properties"]
    assert properties[field] == text
