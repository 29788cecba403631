"""Point folium's JS/CSS links at the pinned copies in static/vendor instead of CDNs."""

import json
from pathlib import Path

import folium
from folium.plugins import Fullscreen, LocateControl

VENDOR_DIR = Path(__file__).resolve().parents[1] / "static" / "vendor"

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

# Every folium element class our maps use that declares default_js/default_css.
LOCALISED_CLASSES: tuple[type, ...] = (folium.Map, Fullscreen, LocateControl)

AssetList = list[tuple[str, str]]


def localise_asset_list(assets: AssetList, vendor_url: str, owner: str) -> AssetList:
    """Return assets with vendored URLs and dropped names removed; LookupError on unknown names."""
    localised = []
    for name, url in assets:
        if name in DROPPED_ASSETS:
            continue
        if name not in LOCAL_ASSETS:
            raise LookupError(f"{owner} needs asset {name!r} ({url}): not vendored, not dropped")
        localised.append((name, f"{vendor_url}/{LOCAL_ASSETS[name]}"))
    return localised


def localise_folium_assets(vendor_url: str = "/static/vendor") -> None:
    """Reassign default_js/default_css of LOCALISED_CLASSES to vendored URLs; idempotent."""
    vendor_url = vendor_url.rstrip("/")
    replacements = [
        (cls, attr, localise_asset_list(getattr(cls, attr), vendor_url, cls.__name__))
        for cls in LOCALISED_CLASSES
        for attr in ("default_js", "default_css")
    ]
    # Assign only after every class checked out, so a LookupError changes nothing.
    for cls, attr, assets in replacements:
        setattr(cls, attr, assets)


def read_manifest(vendor_dir: Path = VENDOR_DIR) -> list[dict]:
    """Return the entries of vendor_dir/manifest.json (name, version, license, source, files)."""
    return json.loads((vendor_dir / "manifest.json").read_text(encoding="utf-8"))


def vendored_files(vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    """Return the absolute path of every file the manifest lists."""
    return [vendor_dir / rel for entry in read_manifest(vendor_dir) for rel in entry["files"]]
