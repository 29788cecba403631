"""The language switch link stays on this site whatever path the page was asked for (issue 14)."""

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest

from tests.hostile import HOSTILE

SWITCH = re.compile(r'<a href="([^"]*)" hreflang="(\w+)"')

OFF_SITE_PATHS = ["//evil.example/x", "///evil.example/x", "/\\evil.example", "/\\/evil.example",
                  "//evil.example", "/\t/evil.example", "//evil.example/%2e%2e"]


def switch_links(response) -> dict[str, str]:
    """Language code → href of the language switch on a page."""
    nav = response.get_data(as_text=True).split('class="lang-switch"', 1)[1].split("</nav>")[0]
    return {code: unescape(href) for href, code in SWITCH.findall(nav)}


def stays_on_site(page_url: str, href: str) -> bool:
    """Whether a browser following href from page_url stays on this host (browsers read a
    backslash like a slash, and drop tabs and newlines in URLs)."""
    cleaned = re.sub(r"[\t\n\r]", "", href).replace("\\", "/")
    return urlsplit(urljoin(page_url, cleaned)).netloc == "localhost" and not cleaned.startswith(
        ("//", "javascript:"))


@pytest.mark.parametrize("path", OFF_SITE_PATHS)
def test_language_switch_stays_on_site_for_odd_paths(client, path):
    response = client.get("/", environ_overrides={"PATH_INFO": path})
    href = switch_links(response)["en"]
    assert stays_on_site("http://localhost" + path, href), href


@pytest.mark.parametrize("url", ["/%2F%2Fevil.example/x", "/%5Cevil.example", "/%2f/evil.example",
                                 "/%252F%252Fevil.example"])
def test_language_switch_stays_on_site_for_encoded_paths(client, url):
    response = client.get(url)
    href = switch_links(response)["en"]
    assert stays_on_site("http://localhost" + url, href), href


def test_language_switch_keeps_the_filters(client):
    links = switch_links(client.get("/?status=available&land_use=0601&lang=zh"))
    assert links == {"en": "?status=available&land_use=0601&lang=en"}


def test_language_switch_on_a_parcel_page_reloads_that_page(client):
    assert switch_links(client.get("/parcels/T-001"))["en"] == "?lang=en"


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_language_switch_escapes_hostile_query_values(client, text):
    response = client.get("/", query_string={"q": text, "lang": "zh"})
    href = switch_links(response)["en"]
    assert href.startswith("?") and href.endswith("&lang=en") and "<" not in href
