"""Timed measurements for scripts/bench_select.py: site selection and context tiles on a store.

Every function returns plain dicts of figures (milliseconds, kB, counts) for the JSON report.
"""

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl

import numpy as np
from bench_timing import clear_tile_cache, median_of_rounds, paired_ratio, summary_ms, timed

from webapp.domain.filters import ParcelFilter
from webapp.selection.requirement import Requirement
from webapp.selection.shortlist import SelectionLimits, select_parcels
from webapp.selection.table import read_table
from webapp.store import GeoPackageStore

SLOWEST = 5  # requirements listed with their timings in the report
BUCKETS = ((0, 1000), (1001, 3000), (3001, 10**9))  # candidates of a requirement


def select_as_the_api_does(store, requirement: Requirement, limits: SelectionLimits):
    """One selection as /api/select makes it: the context layers read, then select_parcels."""
    return select_parcels(store, requirement, limits, store.context.layers())


def server_cpu_clock(store) -> Callable[[], float]:
    """Seconds of CPU the PostgreSQL backend behind this thread's reading connection has used
    (its /proc schedstat: the server must run on this machine), or a clock stuck at 0 for a
    GeoPackage store or a server out of sight. The PostGIS store's selection runs every
    statement on that one connection."""
    database = getattr(store, "database", None)
    if not hasattr(database, "location"):  # a GeoPackage store: everything is in-process
        return lambda: 0.0
    with database.autocommit() as conn:
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    path = Path(f"/proc/{pid}/schedstat")
    try:
        path.read_text()
    except OSError:
        return lambda: 0.0
    return lambda: int(path.read_text().split()[0]) / 1e9


def answer_shape(selections: list) -> dict:
    """How the answers look: candidates and ranked parcels per requirement, how many were too
    broad, how many offered groups of adjacent parcels."""
    return {"candidates_median": int(np.median([s.candidates for s in selections])),
            "candidates_max": max(s.candidates for s in selections),
            "ranked_median": int(np.median([len(s.results) for s in selections])),
            "too_broad": sum(s.too_broad for s in selections),
            "with_groups": sum(bool(s.groups) for s in selections),
            "no_result": sum(not s.results and not s.groups for s in selections)}


def store_calls(store, requirements: list[Requirement], cap: int) -> dict:
    """The two store calls inside a selection, timed alone: reading the candidates as the
    selection does (one attribute table of at most cap + 1 parcels) and nearest() for all of
    them (the selection asks it for those its parcel criteria keep)."""
    read, nearest = [], []
    for requirement in requirements:
        seconds, found = timed(lambda r=requirement: read_table(store, r.parcel_filter(), cap))
        read.append(seconds)
        if found is not None and len(found):
            ids = found["id"].tolist()
            layer = requirement.constraints[0].layer
            nearest.append(timed(lambda ids=ids, layer=layer:
                                 store.context.nearest(layer, ids))[0])
    return {"candidates_read": summary_ms(read),
            "nearest": summary_ms(nearest or [0.0])}


def selection_figures(store, requirements: list[Requirement], layers, rounds: int,
                      progress: Callable[[str], None]) -> dict:
    """Selection timings over `rounds` passes (the first call per constraint layer, which may
    build an in-memory index, timed apart), the answers' shape and the slowest requirements.
    select_cpu is the CPU time of each call, this process's plus (PostGIS on this machine) the
    database backend's: on a loaded machine it tells what the selection would take alone."""
    limits = SelectionLimits()
    first: dict[str, float] = {}
    for requirement in requirements:  # warm-up: what a freshly started worker pays once
        layer = requirement.constraints[0].layer
        if layer not in first:
            first[layer] = round(timed(lambda r=requirement: select_as_the_api_does(
                store, r, limits))[0] * 1000, 1)
    samples: list[list[float]] = [[] for _ in requirements]
    cpu: list[float] = []
    server_cpu = server_cpu_clock(store)
    answers = []
    for round_number in range(rounds):
        for i, requirement in enumerate(requirements):
            started = time.process_time() + server_cpu()
            seconds, selection = timed(lambda r=requirement: select_as_the_api_does(
                store, r, limits))
            cpu.append(time.process_time() + server_cpu() - started)
            samples[i].append(seconds)
            if round_number == 0:
                answers.append(selection)
        progress(f"round {round_number + 1}: p95 "
                 f"{summary_ms([s[-1] for s in samples])['p95_ms']:.0f} ms")
    medians = [statistics.median(s) for s in samples]
    by_candidates = {}
    for low, high in BUCKETS:
        inside = [s for a, per in zip(answers, samples, strict=True)
                  if low <= a.candidates <= high for s in per]
        if inside:
            by_candidates[f"{low}-{high if high < 10**9 else ''}"] = summary_ms(inside)
    slowest = sorted(range(len(requirements)), key=lambda i: -medians[i])[:SLOWEST]
    return {"select": summary_ms([s for per in samples for s in per]),
            "select_cpu": summary_ms(cpu),
            "answers_per_requirement": [(a.candidates, len(a.results), len(a.groups))
                                        for a in answers],
            "by_candidates": by_candidates,
            "first_call_per_layer_ms": first,
            **store_calls(store, requirements, limits.max_candidates),
            "answers": answer_shape(answers),
            "slowest": [{"query": answers[i].requirement.to_query(),
                         "median_ms": round(medians[i] * 1000, 1),
                         "candidates": answers[i].candidates,
                         "ranked": len(answers[i].results),
                         "groups": len(answers[i].groups)} for i in slowest]}


def http_figures(store_url: str, instance: Path, queries: list[str]) -> dict:
    """GET /api/select of each requirement through the Flask test client, on an app of its own
    on the same store (a first request per constraint layer, not counted, opens the store and
    builds what it keeps in memory)."""
    from webapp import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "bench-select", "STORE_URL": store_url,
                      "INSTANCE_PATH": str(instance), "AUTO_INIT": False, "BASEMAP_URL": "",
                      "RATE_LIMIT_API": "", "RATE_LIMIT_EXPORT": ""})
    client = app.test_client()
    warmed: set[str] = set()
    for query in queries:  # one request per constraint layer opens the store, builds indexes
        layer = next(v for k, v in parse_qsl(query) if k in ("near", "far")).partition(":")[0]
        if layer not in warmed:
            warmed.add(layer)
            client.get(f"/api/select?{query}")
    answers = [timed(lambda q=query: client.get(f"/api/select?{q}")) for query in queries]
    return {"errors": sum(response.status_code != 200 for _, response in answers),
            **summary_ms([seconds for seconds, _ in answers])}


def tile_figures(store, tiles: list, rounds: int) -> dict:
    """Parcel and context tiles of the same tiles, cold: each round empties a GeoPackage
    store's parcel tile cache, then times each tile's parcel tile and its context tile one
    right after the other. p50/p95 per round and the ratio of the p95s, median over rounds.
    A first pass is not counted (it warms SQLite's or PostgreSQL's page cache)."""
    everything = ParcelFilter()
    for tile in tiles:
        store.tile(tile.z, tile.x, tile.y, everything)
        store.context.tile(tile.z, tile.x, tile.y)
    per_round = []
    for _ in range(rounds):
        if isinstance(store, GeoPackageStore):
            clear_tile_cache(store)
        parcel, context, parcel_bytes, context_bytes = [], [], [], []
        for tile in tiles:
            seconds, data = timed(lambda t=tile: store.tile(t.z, t.x, t.y, everything))
            parcel.append(seconds)
            parcel_bytes.append(len(data))
            seconds, data = timed(lambda t=tile: store.context.tile(t.z, t.x, t.y))
            context.append(seconds)
            context_bytes.append(len(data))
        figures = {"parcel": summary_ms(parcel), "context": summary_ms(context)}
        figures["ratio_p95"] = paired_ratio(figures["context"]["p95_ms"],
                                            figures["parcel"]["p95_ms"])
        per_round.append(figures)
    result = median_of_rounds(per_round)
    result["parcel_kb_p50"] = round(statistics.median(parcel_bytes) / 1000, 1)
    result["context_kb_p50"] = round(statistics.median(context_bytes) / 1000, 1)
    result["context_kb_max"] = round(max(context_bytes) / 1000, 1)
    return result
