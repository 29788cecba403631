"""The API rows of issue 21's table, timed over HTTP against `landgis serve` (one client, so each
figure is one request's cost): the first page with numberMatched, a deep offset, `next` links
followed from the start and from the middle (page 1 against page N), a 0.02° bbox page, a
land-use count with its first page, and one parcel by id. Used by bench_scale.py.
"""

import json
import time
import urllib.request

import numpy as np
from bench_serve import bbox_urls

ITEMS = "/api/collections/parcels/items"
DEEP_OFFSET = 500_000  # the issue's `offset=500000&limit=10` (half the district when smaller)
PAGES_FOLLOWED = 20  # next links followed from the start and from the middle
LAND_USES = ("10", "07", "09", "11", "08")  # first-level classes of the realistic districts
TARGETS_MS = {"first_page": 10.0, "deep_offset": 20.0, "bbox_page_p50": 10.0,
              "landuse_count_first_page": 30.0, "parcel_by_id": 3.0}


def _get_json(url: str) -> tuple[float, dict]:
    """(milliseconds, document) of one GET; raises on any error (a benchmark must not hide
    them)."""
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        document = json.loads(response.read())
    return (time.perf_counter() - start) * 1000, document


def _summary(samples_ms: list[float]) -> dict:
    ms = np.array(samples_ms)
    return {"p50_ms": round(float(np.percentile(ms, 50)), 2),
            "p95_ms": round(float(np.percentile(ms, 95)), 2), "n": len(ms)}


def _repeat(urls: list[str]) -> dict:
    return _summary([_get_json(url)[0] for url in urls])


def _next_href(document: dict) -> str | None:
    return next((li["href"] for li in document["links"] if li["rel"] == "next"), None)


def follow_next(url: str, pages: int) -> dict:
    """Per-page cost of following `next` links `pages` times from url."""
    samples = []
    while url and len(samples) < pages:
        ms, document = _get_json(url)
        samples.append(ms)
        url = _next_href(document)
    return _summary(samples)


def api_figures(base_url: str, bounds, parcels: int, repeats: int = 20, seed: int = 7) -> dict:
    """Every API row of the table for the served district of `parcels` parcels, in ms."""
    rng = np.random.default_rng(seed)
    items = base_url + ITEMS
    offset = min(DEEP_OFFSET, parcels // 2)
    _, middle = _get_json(f"{items}?limit=10&offset={offset}")  # its milestones kept first
    figures = {
        "first_page": _repeat([f"{items}?limit=10"] * repeats),
        "deep_offset": {"offset": offset,
                        **_repeat([f"{items}?limit=10&offset={offset + i}"
                                   for i in range(repeats)])},
        "next_from_start": follow_next(f"{items}?limit=10", PAGES_FOLLOWED),
        "next_from_middle": follow_next(_next_href(middle) or "", PAGES_FOLLOWED),
        "bbox_page_p50": _repeat(bbox_urls(base_url, bounds, repeats, 0.02, 1000, seed)),
        "landuse_count_first_page": _repeat([f"{items}?limit=10&land_use={LAND_USES[i % 5]}"
                                             for i in range(repeats)]),
        "parcel_by_id": _repeat([f"{items}/{int(i)}"
                                 for i in rng.integers(1, parcels + 1, repeats)]),
    }
    start, middle_pages = figures["next_from_start"], figures["next_from_middle"]
    figures["next_middle_vs_start"] = round(middle_pages["p50_ms"] / start["p50_ms"], 2)
    figures["number_matched"] = middle["numberMatched"]
    return figures


def api_rows(figures: dict) -> list[tuple[str, float, float, float]]:
    """(row, p50 ms, p95 ms, target ms) of the API figures, in the table's order."""
    rows = []
    for name, label in (("first_page", "first page, limit=10, numberMatched"),
                        ("deep_offset", f"offset={figures['deep_offset']['offset']}&limit=10"),
                        ("next_from_start", "next links, pages 1-20"),
                        ("next_from_middle", "next links, 20 pages from the middle"),
                        ("bbox_page_p50", "bbox 0.02° page (limit=1000)"),
                        ("landuse_count_first_page", "land-use count + first page"),
                        ("parcel_by_id", "one parcel by id")):
        found = figures[name]
        rows.append((label, found["p50_ms"], found["p95_ms"],
                     TARGETS_MS.get(name, TARGETS_MS["deep_offset"])))
    return rows
