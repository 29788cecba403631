"""Check the map style in real QGIS, headless: the parcel vector tiles drawn with the MapLibre
style document (/api/styles/landuse) must show the land-use colours of the web map.

Runs under the system Python with Debian's python3-qgis (never in CI: the package is large):

    /usr/bin/python3 scripts/check_qgis_style.py [--url http://127.0.0.1:5000] [--png out.png]

Without --url it serves the bundled sample district itself (`landgis serve` from .venv on a
temporary instance folder and a free loopback port). It converts the style with QGIS's own
Mapbox GL converter (what "Load style from URL" on a vector-tile connection does), renders the
district to an image and counts, for each land use of the district (from the SLD download), the
pixels of its fill colour blended at the style's opacity over the background. Exit status 0
when every land use shows, 1 otherwise.
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from xml.etree import ElementTree as ET

REPO_ROOT = Path(__file__).resolve().parent.parent
LANDGIS = REPO_ROOT / ".venv" / "bin" / "landgis"
SLD_NS = {"sld": "http://www.opengis.net/sld", "ogc": "http://www.opengis.net/ogc"}
IMAGE_PX = 1000
TOLERANCE = 8  # per RGB channel: antialiasing and rounding
MIN_PIXELS = 20  # a land use "shows" with at least this many pixels of its colour
BACKGROUND = (40, 44, 64)  # dark, so white (留白用地) fills stand out from it


def fetch(url: str) -> bytes:
    """The body of a GET to the local server."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def free_port() -> int:
    """A free loopback TCP port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def sample_server():
    """`landgis serve` on a temporary copy of the sample district; yields its base URL."""
    port = free_port()
    with tempfile.TemporaryDirectory() as instance:
        env = os.environ | {"LANDGIS_INSTANCE_PATH": instance, "LANDGIS_WORKERS": "1",
                            "LANDGIS_SECRET_KEY": secrets.token_hex(16),
                            "LANDGIS_RATE_LIMIT_API": ""}
        server = subprocess.Popen([str(LANDGIS), "serve", "--host", "127.0.0.1", "--port",
                                   str(port), "--workers", "1"], env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    fetch(base + "/healthz")
                    break
                except OSError:
                    time.sleep(0.1)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


def district_colours(base: str) -> dict[str, str]:
    """Land-use code → #rrggbb of every land use in the district (the SLD's rules)."""
    root = ET.fromstring(fetch(base + "/api/collections/parcels/styles/landuse.sld"))
    colours = {}
    for rule in root.iterfind(".//sld:Rule", SLD_NS):
        code = rule.findtext("ogc:Filter/ogc:PropertyIsEqualTo/ogc:Literal", None, SLD_NS)
        if code:
            colours[code] = rule.findtext("sld:PolygonSymbolizer/sld:Fill/sld:CssParameter",
                                          None, SLD_NS)
    return colours


def render(base: str, png: Path | None):
    """The district drawn by QGIS from the tiles with the converted style: (QImage, warnings)."""
    from qgis.core import (
        QgsApplication,
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransform,
        QgsDataSourceUri,
        QgsMapBoxGlStyleConverter,
        QgsMapRendererSequentialJob,
        QgsMapSettings,
        QgsProject,
        QgsRectangle,
        QgsVectorTileLayer,
    )
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    tilejson = json.loads(fetch(base + "/api/collections/parcels/tiles/WebMercatorQuad/"
                                "tilejson.json"))
    uri = QgsDataSourceUri()
    uri.setParam("type", "xyz")
    uri.setParam("url", tilejson["tiles"][0])
    uri.setParam("zmin", "0")
    uri.setParam("zmax", "16")
    layer = QgsVectorTileLayer(bytes(uri.encodedUri()).decode(), "parcels")
    if not layer.isValid():
        raise SystemExit("QGIS could not open the vector tiles")
    converter = QgsMapBoxGlStyleConverter()
    converter.convert(json.loads(fetch(base + "/api/styles/landuse")))
    layer.setRenderer(converter.renderer())
    mercator = QgsCoordinateReferenceSystem("EPSG:3857")
    to_mercator = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), mercator,
                                         QgsProject.instance())
    west, south, east, north = tilejson["bounds"]
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(mercator)
    settings.setExtent(to_mercator.transformBoundingBox(QgsRectangle(west, south, east, north)))
    settings.setOutputSize(QSize(IMAGE_PX, IMAGE_PX))
    settings.setBackgroundColor(QColor(*BACKGROUND))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    if png:
        image.save(str(png))
    return image, list(converter.warnings()), QgsApplication


def blended(colour: str, opacity: float) -> tuple[int, ...]:
    """#rrggbb drawn at opacity over the background."""
    return tuple(round(opacity * int(colour[i:i + 2], 16) + (1 - opacity) * back)
                 for i, back in zip((1, 3, 5), BACKGROUND, strict=True))


def count_colours(image, targets: dict[str, tuple[int, ...]]) -> dict[str, int]:
    """Pixels of the image within TOLERANCE of each target colour."""
    counts = dict.fromkeys(targets, 0)
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            pixel = image.pixelColor(x, y)
            rgb = (pixel.red(), pixel.green(), pixel.blue())
            for code, target in targets.items():
                if all(abs(a - b) <= TOLERANCE for a, b in zip(rgb, target, strict=True)):
                    counts[code] += 1
    return counts


def check(base: str, png: Path | None) -> int:
    """Render and count; print one line per land use; 0 when every one shows."""
    from qgis.core import Qgis, QgsApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qgis = QgsApplication([], False)
    qgis.initQgis()
    style = json.loads(fetch(base + "/api/styles/landuse"))
    opacity = next(layer["paint"]["fill-opacity"] for layer in style["layers"]
                   if layer["id"] == "parcels-fill")
    colours = district_colours(base)
    image, warnings, _ = render(base, png)
    counts = count_colours(image, {code: blended(c, opacity) for code, c in colours.items()})
    for code, colour in colours.items():
        print(f"{code:8} {colour}  {counts[code]:6d} px (every 2nd pixel)")
    for warning in warnings:
        print("converter warning:", warning)
    missing = [code for code, n in counts.items() if n < MIN_PIXELS]
    print(f"QGIS {Qgis.version()} rendered "
          f"{len(colours) - len(missing)}/{len(colours)} land uses in their colours"
          + (f"; missing: {', '.join(missing)}" if missing else ""))
    qgis.exitQgis()
    return 1 if missing else 0


def main() -> int:
    """Parse the arguments, serve the sample when no URL is given, check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="base URL of a running landgis (default: serve the sample)")
    parser.add_argument("--png", type=Path, help="save the rendered image here")
    args = parser.parse_args()
    if args.url:
        return check(args.url.rstrip("/"), args.png)
    with sample_server() as base:
        return check(base, args.png)


if __name__ == "__main__":
    sys.exit(main())
