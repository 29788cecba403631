"""Point each map's JS/CSS links at the pinned copies in static/vendor instead of CDNs.

folium's classes keep their CDN defaults: localise_map_assets gives every element of one map
its own default_js/default_css lists (instance attributes, which folium's JSCSSMixin.render
reads), so nothing changes for any other folium map in the process.
"""

import json
from collections.abc import Iterator
from pathlib import Path

import folium
from branca.element import Element
from folium.elements import JSCSSMixin

VENDOR_DIR = Path(__file__).resolve().parents[1] / "static" / "vendor"
VENDOR_URL = "/static/vendor"  # where the app serves VENDOR_DIR (Flask's static route)

# folium asset name -> file path relative to the vendor folder (versions as in manifest.json).
LOCAL_ASSETS: dict[str, str] = {
    "leaflet": "leaflet/1.9.3/leaflet.js",
    "leaflet_css": "leaflet/1.9.3/leaflet.css",
    "Control.Fullscreen.js": "leaflet.fullscreen/3.0.0/Control.FullScreen.js",
    "Control.FullScreen.css": "leaflet.fullscreen/3.0.0/Control.FullScreen.css",
    "Control_locate_min_js": "leaflet.locatecontrol/0.66.2/L.Control.Locate.min.js",
    "Control_locate_min_css": "leaflet.locatecontrol/0.66.2/L.Control.Locate.min.css",
    "leaflet_vectorgrid": "leaflet.vectorgrid/1.2.0/Leaflet.VectorGrid.bundled.min.js",
}

# Assets folium.Map links by default that we deliberately leave out: the app has its own CSS.
DROPPED_ASSETS: frozenset[str] = frozenset(
    {
        "jquery",
        "bootstrap",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers",
        "awesome_markers_css",
        "awesome_markers_font_css",
        "awesome_rotate_css",
    }
)

ASSET_ATTRIBUTES = ("default_js", "default_css")
AssetList = list[tuple[str, str]]


def is_site_relative(url: str) -> bool:
    """True for a path on this site ("/static/..."), false for any URL naming another host."""
    return url.startswith("/") and not url.startswith("//")


def localise_asset_list(assets: AssetList, vendor_url: str, owner: str) -> AssetList:
    """Return assets with vendored URLs and dropped names removed; LookupError on unknown names.

    An asset that is neither vendored nor dropped passes only when the site itself serves it
    (landgis's own scripts, e.g. /static/landgis/map.js).
    """
    localised = []
    for name, url in assets:
        if name in DROPPED_ASSETS:
            continue
        if name in LOCAL_ASSETS:
            localised.append((name, f"{vendor_url}/{LOCAL_ASSETS[name]}"))
        elif is_site_relative(url):
            localised.append((name, url))
        else:
            raise LookupError(f"{owner} needs asset {name!r} ({url}): not vendored, not dropped")
    return localised


def figure_elements(root: Element) -> Iterator[Element]:
    """root and every element below it, parents before children."""
    yield root
    for child in root._children.values():
        yield from figure_elements(child)


def localise_map_assets(m: folium.Map, vendor_url: str = VENDOR_URL) -> None:
    """Give every element of m's figure its own vendored default_js/default_css; idempotent.

    folium's classes are left alone. LookupError, with no element changed, when an element
    needs an asset that is neither vendored, dropped nor served by the site.
    """
    vendor_url = vendor_url.rstrip("/")
    replacements = [
        (element, attr, localise_asset_list(getattr(element, attr), vendor_url,
                                            type(element).__name__))
        for element in figure_elements(m.get_root())
        if isinstance(element, JSCSSMixin)
        for attr in ASSET_ATTRIBUTES
    ]
    # Assign only after every element checked out, so a LookupError changes nothing.
    for element, attr, assets in replacements:
        setattr(element, attr, assets)


def read_manifest(vendor_dir: Path = VENDOR_DIR) -> list[dict]:
    """Return the entries of vendor_dir/manifest.json (name, version, license, source, files)."""
    return json.loads((vendor_dir / "manifest.json").read_text(encoding="utf-8"))


def vendored_files(vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    """Return the absolute path of every file the manifest lists."""
    return [vendor_dir / rel for entry in read_manifest(vendor_dir) for rel in entry["files"]]
