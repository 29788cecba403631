"""Page figures for scripts/bench_scale.py: time until the first parcels show in headless Chromium
and page weight, for the landgis map page and a naive Folium page of the same parcels.

"Visible" is the first animation frame after the first parcel is drawn: a Leaflet SVG path in the
overlay pane (Folium's GeoJson; landgis's dashed district outline does not count) or the first
vector tile landgis's tile layer has drawn (its map container's data-tiles-drawn attribute).
Every request that is not loopback is aborted.
"""

import statistics
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import measure_map_page as page_tools

VISIBLE_PROBE_JS = """(() => {
  const parcels = ".leaflet-overlay-pane path:not(.landgis-extent), [data-tiles-drawn]";
  const observer = new MutationObserver(() => {
    if (!document.querySelector(parcels)) { return; }
    observer.disconnect();
    requestAnimationFrame(() => { window.__parcelsVisibleMs = performance.now(); });
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true,
                               attributeFilter: ["data-tiles-drawn"] });
})();"""
TIMEOUT_MS = 300_000


def load_page(browser, url: str) -> dict:
    """One cold load: ms until parcels are visible, HTML bytes and same-origin transfer."""
    context = browser.new_context(viewport=page_tools.DESKTOP)
    context.route("**/*", lambda route: route.continue_()
                  if urlsplit(route.request.url).hostname in page_tools.LOOPBACK_HOSTS
                  else route.abort("blockedbyclient"))
    context.add_init_script(VISIBLE_PROBE_JS)
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    try:
        response = page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_function("() => window.__parcelsVisibleMs !== undefined",
                               timeout=TIMEOUT_MS, polling=100)
        visible_ms = page.evaluate("() => window.__parcelsVisibleMs")
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
        origin = urlsplit(url).netloc
        sizes = [r.sizes() for r in finished if urlsplit(r.url).netloc == origin]
        tile_mode = page.evaluate(
            "() => document.querySelector('.landgis-parcel-tiles') !== null")
        html_kb = round(_html_bytes(response) / 1000, 1)
        return {"visible_ms": round(visible_ms, 1), "html_kb": html_kb,
                "transfer_kb": round(sum(s["responseBodySize"] + s["responseHeadersSize"]
                                         for s in sizes) / 1000, 1),
                "requests": len(sizes), "tile_mode": tile_mode}
    finally:
        context.close()


def _html_bytes(response) -> int:
    """Bytes of the page's HTML (Chromium evicts very large bodies: then as transferred)."""
    from playwright.sync_api import Error

    try:
        return len(response.body())
    except Error:
        return response.request.sizes()["responseBodySize"]


def page_figures(landgis_url: str, store, runs: int, progress, with_naive: bool = True) -> dict:
    """landgis (`runs` cold loads) against a naive Folium page of the same parcels (one load;
    with_naive=False measures landgis alone, e.g. at 10^6 where the naive page is ~1 GB)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="landgis-naive-") as tmp:
        page_dir = Path(tmp)
        if with_naive:
            progress("browser: rendering the naive Folium page")
            app = type("App", (), {"extensions": {"landgis.store": store}})
            (page_dir / "index.html").write_text(
                page_tools.render_naive_page(page_tools.parcels_frame(app)), encoding="utf-8")
        with page_tools.serve(page_tools.naive_site(page_dir)) as naive_url, \
                sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=page_tools.CHROMIUM,
                                                 args=page_tools.CHROMIUM_ARGS)
            progress("browser: landgis map page")
            ours = [load_page(browser, landgis_url + "/") for _ in range(runs)]
            if with_naive:
                progress("browser: naive Folium page (slow by design)")
                naive = load_page(browser, naive_url + "/index.html")
            browser.close()
    ours_ms = statistics.median(r["visible_ms"] for r in ours)
    figures = {"landgis": {**ours[0], "visible_ms": ours_ms,
                           "visible_runs_ms": [r["visible_ms"] for r in ours]}}
    if with_naive:
        figures |= {"naive_folium": naive,
                    "visible_speedup": round(naive["visible_ms"] / ours_ms, 1),
                    "html_ratio": round(naive["html_kb"] / max(ours[0]["html_kb"], 0.1), 1)}
    return figures
