"""The embeddable map over HTTP: the map without header, filters kept, framing per setting."""

import pytest

from tests.conftest import DATA, make_app
from tests.hostile import EVALUATED_MARKERS, hostile_items
from webapp.config import load_settings, validate_settings
from webapp.domain.errors import ConfigError

ALLOWED = "https://www.huashan.gov.cn, http://127.0.0.1:8001"


@pytest.fixture(scope="module")
def embed_client(tmp_path_factory):
    """The four-parcel app that lets two sites frame /embed."""
    app = make_app(tmp_path_factory.mktemp("embed"), DATA / "small.geojson",
                   EMBED_ALLOWED_ORIGINS=ALLOWED)
    return app.test_client()


def directive(policy: str, name: str) -> str:
    """One directive's sources in a CSP header."""
    parts = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return parts[name]


def test_embed_shows_the_map_without_the_site_header(embed_client):
    response = embed_client.get("/embed")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "L.map(" in html and "site-header" not in html and 'id="embed-full-link"' in html


def test_embed_links_back_to_the_full_map_with_the_same_filters(embed_client):
    html = embed_client.get("/embed?land_use=0601&status=available&sort=-area").get_data(
        as_text=True)
    assert 'href="/?land_use=0601&amp;status=available&amp;sort=-area"' in html
    assert '<base target="_blank">' in html


def test_embed_is_framed_only_by_the_allowed_origins(embed_client):
    response = embed_client.get("/embed")
    policy = response.headers["Content-Security-Policy"]
    assert directive(policy, "frame-ancestors") == "https://www.huashan.gov.cn http://127.0.0.1:8001"
    assert "X-Frame-Options" not in response.headers


@pytest.mark.parametrize("path", ["/", "/parcels/T-001", "/dashboard", "/api", "/auth/login"])
def test_other_pages_refuse_every_frame(embed_client, path):
    response = embed_client.get(path)
    assert directive(response.headers["Content-Security-Policy"], "frame-ancestors") == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_embed_without_allowed_origins_refuses_every_frame(client):
    policy = client.get("/embed").headers["Content-Security-Policy"]
    assert directive(policy, "frame-ancestors") == "'none'"


def test_embed_with_a_bad_filter_answers_400_and_still_draws_the_map(embed_client):
    response = embed_client.get("/embed?area_min=abc")
    assert response.status_code == 400
    assert "L.map(" in response.get_data(as_text=True)


@pytest.mark.parametrize(("name", "text"), hostile_items())
def test_embed_hostile_filter_text_stays_text(embed_client, name, text):
    response = embed_client.get("/embed", query_string={"q": text, "street": text})
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 400), name
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert "<svg/onload" not in html and 'onmouseover="window' not in html
    assert not any(marker in html for marker in EVALUATED_MARKERS)


@pytest.mark.parametrize("value", ["https://a.cn/path", "'self'", "https://a.cn; script-src *",
                                   "javascript:alert(1)", "*", "ftp://a.cn"])
def test_bad_embed_origins_are_refused_at_start(tmp_path, value):
    values = load_settings(tmp_path, {"TESTING": True, "EMBED_ALLOWED_ORIGINS": value})
    with pytest.raises(ConfigError, match="EMBED_ALLOWED_ORIGINS"):
        validate_settings(values)


def test_embed_of_a_large_district_draws_vector_tiles(tmp_path):
    app = make_app(tmp_path, DATA / "small.geojson", TILE_MAP_THRESHOLD=1)
    html = app.test_client().get("/embed?land_use=0601").get_data(as_text=True)
    assert "tile-map.js" in html and "/tiles/WebMercatorQuad/{z}/{y}/{x}?land_use=0601" in html
