"""Measure the map page: HTML weight, bytes transferred and time until every parcel is drawn.

Builds landgis on the bundled sample district in a temporary instance folder and, as a baseline
measured in the same run, a naive Folium page of the same parcels (folium.GeoJson of the whole
GeoDataFrame with a Python style_function and a GeoJsonPopup). Both are served with waitress on
loopback and loaded in headless /usr/bin/chromium at a desktop viewport, in a fresh browser
context (cold cache) per run. Every request that is not loopback is aborted. Neither page has a
basemap, so the figures are the cost of the parcels and the map code.

    python scripts/measure_map_page.py [--runs 5] [--json figures.json]
"""

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE = REPO_ROOT / "geodata" / "sample" / "parcels.geojson"
STATIC_DIR = REPO_ROOT / "webapp" / "static"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
DESKTOP = {"width": 1366, "height": 768}
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})
HTML_TARGET_KB = 1000
DRAWN_TARGET_MS = 1000
TIMEOUT_MS = 60_000
SERVER_THREADS = 8  # as `landgis serve` (THREADS); the map page loads ~10 files at once

# Runs before any page script: notes performance.now() (ms since navigation start) when all
# `expected` parcel paths are in the DOM, and for landgis also data-parcel-count is set.
DRAWN_PROBE_JS = """(() => {
  const expected = %d, needCount = %s;
  const observer = new MutationObserver(() => {
    if (window.__parcelsDrawnMs !== undefined) { return; }
    if (needCount) {
      const map = document.querySelector("[data-parcel-count]");
      if (!map || Number(map.getAttribute("data-parcel-count")) !== expected) { return; }
    }
    if (document.querySelectorAll("path.leaflet-interactive").length < expected) { return; }
    window.__parcelsDrawnMs = performance.now();
    observer.disconnect();
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true,
                               attributeFilter: ["data-parcel-count"] });
})();"""


@dataclass
class PageFigures:
    """What one page weighs and how long it takes to draw its parcels."""

    name: str
    url: str
    parcels: int
    sets_parcel_count: bool  # whether the page marks its map with data-parcel-count
    html_bytes: int = 0
    transferred_bytes: int = 0
    requests: int = 0
    drawn_ms: list[float] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    @property
    def drawn_median_ms(self) -> float:
        """Median time from navigation start until every parcel is drawn, ms."""
        return statistics.median(self.drawn_ms)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed loads per page (default 5)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    parser.add_argument("--sample", type=Path, default=SAMPLE,
                        help="parcel file to seed the store (default: the bundled sample)")
    parser.add_argument("--chromium", default=CHROMIUM, help=f"browser binary (default {CHROMIUM})")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


@contextmanager
def serve(wsgi_app):
    """Serve a WSGI app with waitress on an ephemeral loopback port; yields its base URL."""
    import waitress

    server = waitress.create_server(wsgi_app, host="127.0.0.1", port=0, threads=SERVER_THREADS)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


def build_landgis(workdir: Path, sample: Path):
    """landgis on a copy of the sample in a temporary instance folder, without a basemap."""
    from webapp import create_app

    copy = workdir / sample.name
    shutil.copyfile(sample, copy)
    return create_app({"TESTING": True, "SECRET_KEY": "measure", "BASEMAP_URL": "",
                       "INSTANCE_PATH": str(workdir / "instance"), "SAMPLE_PATH": str(copy)})


def parcels_frame(app):
    """The published parcels of the app's store as a GeoDataFrame (EPSG:4326), all attributes."""
    import geopandas as gpd

    from webapp.domain.filters import ParcelFilter

    parcels = app.extensions["landgis.store"].query(ParcelFilter(), limit=None).parcels
    rows = [{k: v for k, v in vars(p).items() if k not in ("geometry", "extra")} for p in parcels]
    return gpd.GeoDataFrame(rows, geometry=[p.geometry for p in parcels], crs="EPSG:4326")


def render_naive_page(frame) -> str:
    """The page a first Folium attempt would produce: one GeoJson, styled per feature in Python."""
    import folium

    from webapp.domain.landuse import load_landuse_table
    from webapp.maps.assets import localise_map_assets

    table = load_landuse_table()
    minx, miny, maxx, maxy = frame.total_bounds
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=13, tiles=None)

    def style(feature):
        return {"fillColor": table.color(feature["properties"]["land_use"]), "color": "#37474f",
                "weight": 1, "fillOpacity": 0.65}

    popup = folium.GeoJsonPopup(
        fields=["code", "name", "land_use", "area_m2", "street", "status"],
        aliases=["宗地编号", "名称", "土地用途", "面积 (m²)", "街道", "状态"])
    folium.GeoJson(frame, style_function=style, popup=popup, name="parcels").add_to(m)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    localise_map_assets(m)  # the same vendored Leaflet as landgis (the browser is offline)
    return m.get_root().render()


def naive_site(page_dir: Path):
    """WSGI app serving page_dir at / and webapp/static at /static."""
    from werkzeug.exceptions import NotFound
    from werkzeug.middleware.shared_data import SharedDataMiddleware

    return SharedDataMiddleware(NotFound(), {"/static": str(STATIC_DIR), "/": str(page_dir)})


def new_context(browser, figures: PageFigures):
    """A fresh context (cold cache) that lets only loopback requests through."""
    context = browser.new_context(viewport=DESKTOP)

    def route(route):
        if urlsplit(route.request.url).hostname in LOOPBACK_HOSTS:
            route.continue_()
        else:
            figures.blocked_requests.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", route)
    context.add_init_script(DRAWN_PROBE_JS % (figures.parcels,
                                              json.dumps(figures.sets_parcel_count)))
    return context


def load_once(browser, figures: PageFigures, weigh: bool) -> float:
    """Load the page in a new context; returns ms until drawn, and weighs it when asked."""
    context = new_context(browser, figures)
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.on("console", lambda m: m.type == "error" and figures.console_errors.append(m.text))
    page.on("pageerror", lambda e: figures.console_errors.append(str(e)))
    try:
        response = page.goto(figures.url, timeout=TIMEOUT_MS)
        page.wait_for_function("() => window.__parcelsDrawnMs !== undefined", timeout=TIMEOUT_MS)
        drawn_ms = page.evaluate("() => window.__parcelsDrawnMs")
        if weigh:
            page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
            origin = urlsplit(figures.url).netloc
            same_origin = [r for r in finished if urlsplit(r.url).netloc == origin]
            figures.html_bytes = len(response.body())
            figures.requests = len(same_origin)
            figures.transferred_bytes = sum(
                s["responseBodySize"] + s["responseHeadersSize"]
                for s in (r.sizes() for r in same_origin))
        return drawn_ms
    finally:
        context.close()


def measure(browser, pages: list[PageFigures], runs: int) -> None:
    """Weigh each page once, then time `runs` cold loads of each, interleaved."""
    for figures in pages:
        load_once(browser, figures, weigh=True)  # also warms the server and the OS file cache
    for _ in range(runs):
        for figures in pages:
            figures.drawn_ms.append(load_once(browser, figures, weigh=False))


def kb(n_bytes: int) -> str:
    """Bytes as kB (1 kB = 1000 bytes) with one decimal."""
    return f"{n_bytes / 1000:,.1f}"


def print_table(ours: PageFigures, naive: PageFigures, runs: int) -> None:
    """The figures of both pages side by side, with naive/landgis ratios and the targets."""
    rows = [
        ("parcels drawn", str(ours.parcels), str(naive.parcels), ""),
        ("HTML of the page (kB)", kb(ours.html_bytes), kb(naive.html_bytes),
         f"{naive.html_bytes / ours.html_bytes:.1f}×"),
        (f"same-origin transfer, {ours.requests}/{naive.requests} requests (kB)",
         kb(ours.transferred_bytes), kb(naive.transferred_bytes),
         f"{naive.transferred_bytes / ours.transferred_bytes:.1f}×"),
        (f"time to parcels, median of {runs} (ms)", f"{ours.drawn_median_ms:,.0f}",
         f"{naive.drawn_median_ms:,.0f}", f"{naive.drawn_median_ms / ours.drawn_median_ms:.1f}×"),
        ("  fastest – slowest run (ms)", f"{min(ours.drawn_ms):,.0f} – {max(ours.drawn_ms):,.0f}",
         f"{min(naive.drawn_ms):,.0f} – {max(naive.drawn_ms):,.0f}", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'':{width}}  {'landgis':>13}  {'naive folium':>13}  {'naive/landgis':>13}")
    for label, a, b, ratio in rows:
        print(f"{label:{width}}  {a:>13}  {b:>13}  {ratio:>13}")
    print()
    html_ok = ours.html_bytes < HTML_TARGET_KB * 1000
    time_ok = ours.drawn_median_ms < DRAWN_TARGET_MS
    print(f"targets: HTML < {HTML_TARGET_KB:,} kB {'met' if html_ok else 'MISSED'}; "
          f"parcels drawn < {DRAWN_TARGET_MS:,} ms {'met' if time_ok else 'MISSED'}")
    for figures in (ours, naive):
        if figures.blocked_requests or figures.console_errors:
            print(f"{figures.name}: {len(figures.blocked_requests)} blocked requests "
                  f"{figures.blocked_requests[:3]}, {len(figures.console_errors)} console errors "
                  f"{figures.console_errors[:3]}")


def main(argv: list[str] | None = None) -> int:
    """Build both pages, serve them, measure them in Chromium and print the figures."""
    args = parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="landgis-measure-") as tmp:
        workdir = Path(tmp)
        app = build_landgis(workdir, args.sample)
        frame = parcels_frame(app)
        page_dir = workdir / "naive"
        page_dir.mkdir()
        (page_dir / "index.html").write_text(render_naive_page(frame), encoding="utf-8")
        with serve(app) as ours_url, serve(naive_site(page_dir)) as naive_url, \
                sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium,
                                                 args=CHROMIUM_ARGS)
            ours = PageFigures("landgis", ours_url + "/", len(frame), True)
            naive = PageFigures("naive folium", naive_url + "/index.html", len(frame), False)
            measure(browser, [ours, naive], args.runs)
            browser.close()
    print_table(ours, naive, args.runs)
    if args.json:
        figures = {f.name: {**asdict(f), "drawn_median_ms": f.drawn_median_ms}
                   for f in (ours, naive)}
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
