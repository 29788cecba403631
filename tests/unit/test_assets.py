"""Vendored JS/CSS: manifest complete, CSS references resolve, folium pages link no CDN."""

import re
from typing import ClassVar

import folium
import folium.plugins
import pytest

from webapp.maps import assets

EXTERNAL_URL = re.compile(r"https?://[^\s\"'<>)]+")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+?)['\"]?\s*\)")


@pytest.fixture
def restore_folium_classes(monkeypatch):
    """Let the test change folium's process-wide asset lists; undo it afterwards."""
    for cls in assets.LOCALISED_CLASSES:
        monkeypatch.setattr(cls, "default_js", cls.default_js)
        monkeypatch.setattr(cls, "default_css", cls.default_css)


def render_sample_map() -> str:
    """Render a tile-less map with the controls our pages use."""
    m = folium.Map(location=[31.7, 118.5], zoom_start=12, tiles=None)
    folium.plugins.Fullscreen().add_to(m)
    folium.plugins.LocateControl().add_to(m)
    return m.get_root().render()


def vendored_on_disk() -> set[str]:
    """Return every file under the vendor folder except the manifest, relative to it."""
    root = assets.VENDOR_DIR
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }


def listed_in_manifest() -> set[str]:
    """Return every file path the manifest lists."""
    return {rel for entry in assets.read_manifest() for rel in entry["files"]}


def test_rendered_map_links_no_external_url(restore_folium_classes):
    assets.localise_folium_assets()
    offenders = EXTERNAL_URL.findall(render_sample_map())
    assert offenders == [], f"external URLs in rendered map: {offenders}"


def test_rendered_map_links_vendored_leaflet(restore_folium_classes):
    assets.localise_folium_assets()
    assert "/static/vendor/leaflet/1.9.3/leaflet.js" in render_sample_map()


def test_localise_folium_assets_is_idempotent(restore_folium_classes):
    assets.localise_folium_assets()
    once = [(c.default_js, c.default_css) for c in assets.LOCALISED_CLASSES]
    assets.localise_folium_assets()
    assert [(c.default_js, c.default_css) for c in assets.LOCALISED_CLASSES] == once


def test_localise_folium_assets_reassigns_not_mutates(restore_folium_classes):
    original = folium.Map.default_js
    snapshot = list(original)
    assets.localise_folium_assets()
    assert folium.Map.default_js is not original and original == snapshot


class UnvendoredPlugin(folium.MacroElement):
    """A plugin whose asset we never vendored."""

    default_js: ClassVar[list[tuple[str, str]]] = [
        ("not_vendored_js", "https://cdn.example.org/x.js")
    ]
    default_css: ClassVar[list[tuple[str, str]]] = []


@pytest.fixture
def with_unvendored_plugin(restore_folium_classes, monkeypatch):
    """Append UnvendoredPlugin to the classes localise_folium_assets handles."""
    monkeypatch.setattr(assets, "LOCALISED_CLASSES", (*assets.LOCALISED_CLASSES, UnvendoredPlugin))


def test_localise_folium_assets_rejects_unknown_asset(with_unvendored_plugin):
    with pytest.raises(LookupError, match="not_vendored_js"):
        assets.localise_folium_assets()


def test_localise_folium_assets_changes_nothing_on_error(with_unvendored_plugin):
    before = folium.Map.default_js
    with pytest.raises(LookupError):
        assets.localise_folium_assets()
    assert folium.Map.default_js is before


FOLIUM_LINKS = [
    (cls.__name__, name, url)
    for cls in assets.LOCALISED_CLASSES
    for name, url in cls.default_js + cls.default_css
    if name in assets.LOCAL_ASSETS
]


@pytest.mark.parametrize(
    ("owner", "name", "url"), FOLIUM_LINKS, ids=[n for _, n, _ in FOLIUM_LINKS]
)
def test_local_asset_matches_folium_version(owner, name, url):
    package, version = assets.LOCAL_ASSETS[name].split("/")[:2]
    assert version in url, f"{owner} wants {url}, we vendor {package} {version}"


@pytest.mark.parametrize("path", assets.vendored_files(), ids=lambda p: p.name)
def test_manifest_file_exists_and_is_not_empty(path):
    assert path.is_file() and path.stat().st_size > 0


def test_manifest_lists_every_vendored_file():
    assert vendored_on_disk() - listed_in_manifest() == set()


def test_manifest_lists_every_local_asset():
    assert set(assets.LOCAL_ASSETS.values()) - listed_in_manifest() == set()


@pytest.mark.parametrize("rel", sorted(r for r in listed_in_manifest() if r.endswith(".css")))
def test_vendored_css_urls_resolve(rel):
    css_file = assets.VENDOR_DIR / rel
    refs = CSS_URL.findall(css_file.read_text(encoding="utf-8"))
    relative = [r for r in refs if not r.startswith(("data:", "#", "/")) and "://" not in r]
    missing = [r for r in relative if not (css_file.parent / r).is_file()]
    assert missing == [], f"{rel} references missing files: {missing}"
