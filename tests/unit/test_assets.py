"""Vendored JS/CSS: manifest complete, CSS references resolve, our maps link no CDN while
folium's own classes (and any other folium map in the process) keep their defaults."""

import re
from typing import ClassVar

import folium
import folium.plugins
import pytest
from folium.elements import JSCSSMixin

from webapp.maps import assets
from webapp.maps.controls import MapControls
from webapp.maps.parcel_map import Basemap, MapOptions, build_parcel_map
from webapp.maps.tile_map import TileSource, build_tile_map

EXTERNAL_URL = re.compile(r"(?:https?:)?//[^\s\"'<>)]+")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+?)['\"]?\s*\)")
LINKED = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"([^\"]+)\"")
BASEMAP = Basemap("https://t.example.test/{z}/{x}/{y}.png", "©")
OPTIONS = MapOptions(colors={"1001": "#aaaaaa"}, legend=[("#aaaaaa", "1001 工业用地")],
                     texts={"legend": "土地用途"}, parcel_url="/parcels/__CODE__",
                     bounds=(118.5, 31.7, 118.6, 31.8), locate_title="我的位置")
SOURCE = TileSource(tile_url="/tiles/{z}/{y}/{x}", item_url="/items/__ID__", items_url="/items")
BUILDERS = {
    "parcel_map": lambda: build_parcel_map([], BASEMAP, OPTIONS),
    "tile_map": lambda: build_tile_map(BASEMAP, OPTIONS, SOURCE),
}


@pytest.fixture(params=sorted(BUILDERS))
def built_map(request) -> folium.Map:
    """A map as landgis builds it (parcel map or tile map), with every control."""
    return BUILDERS[request.param]()


def asset_classes(m: folium.Map) -> set[type]:
    """The classes of the map's elements that declare JS/CSS assets."""
    return {type(e) for e in assets.figure_elements(m.get_root()) if isinstance(e, JSCSSMixin)}


def render_plain_folium_map() -> str:
    """A tile-less folium map with the controls our pages use, as folium renders it."""
    m = folium.Map(location=[31.7, 118.5], zoom_start=12, tiles=None)
    folium.plugins.Fullscreen().add_to(m)
    folium.plugins.LocateControl().add_to(m)
    return m.get_root().render()


def test_built_map_links_nothing_external_but_the_basemap(built_map):
    offenders = [u for u in EXTERNAL_URL.findall(built_map.get_root().render())
                 if "t.example.test" not in u]
    assert offenders == []


def test_built_map_links_only_vendored_and_own_files(built_map):
    links = LINKED.findall(built_map.get_root().render())
    assert links and all(u.startswith(("/static/vendor/", "/static/landgis/")) for u in links)


def test_built_map_links_vendored_leaflet_and_controls(built_map):
    html = built_map.get_root().render()
    for rel in ("leaflet/1.9.3/leaflet.js", "leaflet/1.9.3/leaflet.css",
                "leaflet.fullscreen/3.0.0/Control.FullScreen.js",
                "leaflet.locatecontrol/0.66.2/L.Control.Locate.min.js"):
        assert f"/static/vendor/{rel}" in html, rel


def subclasses(cls: type) -> set[type]:
    """Every class derived from cls, however indirectly."""
    return {sub for direct in cls.__subclasses__() for sub in {direct, *subclasses(direct)}}


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_building_a_map_leaves_folium_classes_alone(builder):
    lists = {(cls, attr): getattr(cls, attr)
             for cls in subclasses(JSCSSMixin) for attr in assets.ASSET_ATTRIBUTES}
    copies = {key: list(value) for key, value in lists.items()}
    BUILDERS[builder]().get_root().render()
    assert [key for key in lists if getattr(*key) is not lists[key]] == []
    assert {key: list(value) for key, value in lists.items()} == copies


def test_folium_map_class_keeps_its_cdn_defaults(built_map):
    built_map.get_root().render()
    assert dict(folium.Map.default_js)["leaflet"].startswith("https://")
    assert dict(folium.Map.default_js)["jquery"].startswith("https://")


def test_plain_folium_map_after_ours_still_links_its_cdn(built_map):
    built_map.get_root().render()
    html = render_plain_folium_map()
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in html
    assert "/static/vendor/" not in html


def test_localise_map_assets_is_idempotent(built_map):
    elements = [e for e in assets.figure_elements(built_map.get_root())
                if isinstance(e, JSCSSMixin)]
    once = [(e.default_js, e.default_css) for e in elements]
    assets.localise_map_assets(built_map)
    assert [(e.default_js, e.default_css) for e in elements] == once


def test_localise_map_assets_uses_the_given_vendor_url():
    m = folium.Map(tiles=None)
    assets.localise_map_assets(m, "/assets/vendor/")
    assert m.default_js == [("leaflet", "/assets/vendor/leaflet/1.9.3/leaflet.js")]


class UnvendoredPlugin(JSCSSMixin):
    """A plugin whose asset we never vendored."""

    default_js: ClassVar[list[tuple[str, str]]] = [
        ("not_vendored_js", "https://cdn.example.org/x.js")
    ]
    default_css: ClassVar[list[tuple[str, str]]] = []


@pytest.fixture
def map_with_unvendored_plugin() -> folium.Map:
    """A folium map with a control we vendor and a plugin we do not."""
    m = folium.Map(tiles=None)
    folium.plugins.Fullscreen().add_to(m)
    UnvendoredPlugin().add_to(m)
    return m


def test_localise_map_assets_rejects_unknown_asset(map_with_unvendored_plugin):
    with pytest.raises(LookupError, match="not_vendored_js"):
        assets.localise_map_assets(map_with_unvendored_plugin)


def test_localise_map_assets_changes_nothing_on_error(map_with_unvendored_plugin):
    with pytest.raises(LookupError):
        assets.localise_map_assets(map_with_unvendored_plugin)
    elements = list(assets.figure_elements(map_with_unvendored_plugin.get_root()))
    assert not any("default_js" in vars(e) or "default_css" in vars(e) for e in elements)


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_building_a_map_with_an_unvendored_asset_fails(monkeypatch, builder):
    monkeypatch.setattr(MapControls, "default_js",
                        [*MapControls.default_js, ("not_vendored_js", "https://cdn.example.org/x.js")])
    with pytest.raises(LookupError, match="MapControls needs asset 'not_vendored_js'"):
        BUILDERS[builder]()


@pytest.mark.parametrize(("url", "kept"), [
    ("/static/landgis/map.js", True),
    ("//cdn.example.org/x.js", False),
    ("https://cdn.example.org/x.js", False),
    ("static/x.js", False),
])
def test_localise_asset_list_keeps_only_files_the_site_serves(url, kept):
    if kept:
        assert assets.localise_asset_list([("own", url)], "/v", "Owner") == [("own", url)]
    else:
        with pytest.raises(LookupError, match="Owner needs asset 'own'"):
            assets.localise_asset_list([("own", url)], "/v", "Owner")


def test_localise_asset_list_leaves_out_dropped_assets():
    listed = [("jquery", "https://code.jquery.com/jquery.js"), ("leaflet", "https://x/l.js")]
    assert assets.localise_asset_list(listed, "/v", "Map") == [
        ("leaflet", "/v/leaflet/1.9.3/leaflet.js")]


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


# Every asset folium's classes (as our maps use them) link by default that we vendor.
FOLIUM_LINKS = sorted({
    (cls.__name__, name, url)
    for builder in BUILDERS.values()
    for cls in asset_classes(builder())
    for name, url in cls.default_js + cls.default_css
    if name in assets.LOCAL_ASSETS
})


@pytest.mark.parametrize(
    ("owner", "name", "url"), FOLIUM_LINKS, ids=[f"{o}-{n}" for o, n, _ in FOLIUM_LINKS]
)
def test_local_asset_matches_folium_version(owner, name, url):
    package, version = assets.LOCAL_ASSETS[name].split("/")[:2]
    assert version in url, f"{owner} wants {url}, we vendor {package} {version}"


def test_folium_links_cover_every_local_asset():
    assert {name for _, name, _ in FOLIUM_LINKS} == set(assets.LOCAL_ASSETS)


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
