"""X-Forwarded-* headers change links only as far as the settings say they may (issue 14):
none without TRUSTED_PROXIES, the scheme with it, the host only with TRUSTED_PROXY_HOST."""

import pytest

from tests.conftest import DATA, make_app
from webapp.public.qr import qr_svg

FORGED = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https",
          "X-Forwarded-Port": "8443", "X-Forwarded-Prefix": "/evil",
          "X-Forwarded-For": "203.0.113.9", "Forwarded": "host=evil.example;proto=https"}


def links_of(app, headers: dict[str, str]) -> tuple[str, list[str], bytes]:
    """The parcel page's share link, the API's link hrefs and the parcel's QR code."""
    client = app.test_client()
    html = client.get("/parcels/T-001", headers=headers).get_data(as_text=True)
    share_url = html.split('id="share-url"', 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]
    api = client.get("/api/collections/parcels/items?limit=1", headers=headers).get_json()
    qr = client.get("/qr/parcels/T-001.svg", headers=headers).data
    return share_url, [link["href"] for link in api["links"]], qr


def app_with(tmp_path, **settings):
    return make_app(tmp_path, DATA / "small.geojson", **settings)


def test_proxy_headers_ignored_without_trusted_proxies(tmp_path):
    share_url, api_links, qr = links_of(app_with(tmp_path), FORGED)
    assert share_url == "http://localhost/parcels/T-001"
    assert api_links and all(href.startswith("http://localhost/api/") for href in api_links)
    assert qr == qr_svg("http://localhost/parcels/T-001")


def test_proxy_host_not_believed_from_a_trusted_proxy_by_default(tmp_path):
    share_url, api_links, qr = links_of(app_with(tmp_path, TRUSTED_PROXIES=1), FORGED)
    assert share_url == "https://localhost/parcels/T-001"  # the scheme is believed
    assert all(href.startswith("https://localhost/api/") for href in api_links)
    assert qr == qr_svg("https://localhost/parcels/T-001")


def test_proxy_host_believed_when_configured(tmp_path):
    app = app_with(tmp_path, TRUSTED_PROXIES=1, TRUSTED_PROXY_HOST=True)
    share_url, api_links, _qr = links_of(app, {"X-Forwarded-Host": "maps.example.gov.cn",
                                               "X-Forwarded-Proto": "https"})
    assert share_url == "https://maps.example.gov.cn/parcels/T-001"
    assert all(href.startswith("https://maps.example.gov.cn/api/") for href in api_links)


@pytest.mark.parametrize("header", ["X-Forwarded-Port", "X-Forwarded-Prefix"])
def test_proxy_port_and_prefix_never_believed(tmp_path, header):
    app = app_with(tmp_path, TRUSTED_PROXIES=1, TRUSTED_PROXY_HOST=True)
    share_url, _links, _qr = links_of(app, {header: FORGED[header]})
    assert share_url == "http://localhost/parcels/T-001"


def test_proxy_host_setting_without_trusted_proxies_is_refused(tmp_path):
    from webapp.domain.errors import ConfigError

    with pytest.raises(ConfigError, match="TRUSTED_PROXY_HOST needs TRUSTED_PROXIES"):
        app_with(tmp_path, TRUSTED_PROXY_HOST=True)
