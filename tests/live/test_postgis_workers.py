"""`landgis serve --workers 2` on a PostGIS store: two gunicorn processes read and edit through
their own connection pools (the master opened one before forking them)."""

import os
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import shapely

from tests.conftest import DATA, make_app
from tests.editing_fixtures import PASSWORD, add_staff
from tests.live.http_session import CSRF, Session
from tests.live.servers import ROOT
from tests.live.test_serve_workers import (
    LANDGIS,
    free_port,
    wait_for_workers,
    wait_until_workers_answer,
)
from tests.store.postgis_fixtures import postgis_schema_url
from webapp.tiles.grid import tile_containing

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(LANDGIS is None, reason="the landgis console script is missing")]

REQUESTS = 60  # per round; rounds repeat until both workers have answered
ROUNDS = 10
SECRET_KEY = "postgis-workers-secret"
ITEMS = "/api/collections/parcels/items"


@pytest.fixture
def site(tmp_path):
    """Base URL of two gunicorn workers on a fresh PostGIS schema, and two of its parcels."""
    with postgis_schema_url() as url:
        app = make_app(tmp_path, DATA / "small.geojson", STORE_URL=url)
        add_staff(app, {f"editor{n}": "editor" for n in range(4)})
        store = app.extensions["landgis.store"]
        parcels = {code: store.get(code) for code in ("T-001", "T-002")}
        store.close()
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("LANDGIS_")}
        env |= {"LANDGIS_INSTANCE_PATH": app.instance_path, "LANDGIS_STORE_URL": url,
                "LANDGIS_SECRET_KEY": SECRET_KEY, "LANDGIS_BASEMAP_URL": "",
                "LANDGIS_SAMPLE_PATH": app.config["SAMPLE_PATH"], "LANDGIS_WORKER_HEADER": "1"}
        process = subprocess.Popen([LANDGIS or sys.executable, "serve", "--workers", "2",
                                    "--port", str(port)], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            wait_for_workers(process, 2)
            wait_until_workers_answer(f"http://127.0.0.1:{port}", 2)
            yield f"http://127.0.0.1:{port}", parcels
        finally:
            process.terminate()
            process.wait(timeout=30)
            process.stderr.close()


def _get(url: str) -> tuple[int, str, bytes]:
    """Status, answering worker and body of an anonymous GET."""
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.status, response.headers["X-Landgis-Worker"], response.read()


def _get_from_both_workers(urls: list[str]) -> list[tuple[int, str, bytes]]:
    """Concurrent GETs, in rounds until both workers have answered (at most ROUNDS rounds)."""
    answers: list[tuple[int, str, bytes]] = []
    with ThreadPoolExecutor(max_workers=12) as pool:
        for _ in range(ROUNDS):
            answers += pool.map(_get, urls, timeout=120)
            if len({worker for _, worker, _ in answers}) == 2:
                break
    return answers


def _editor(base: str, name: str, parcel_id: int) -> tuple[Session, str]:
    """A logged-in editor session and a CSRF token for it."""
    session = Session()
    assert session.login(base, name, PASSWORD).status == 302
    page = session.request("GET", f"{base}/admin/parcels/{parcel_id}/edit")
    return session, CSRF.search(page.text).group(1)


def _patch(session: Session, token: str, url: str, etag: str, changes: dict) -> int:
    return session.request("PATCH", url, body=changes,
                           headers={"If-Match": etag, "X-CSRFToken": token}).status


def test_postgis_workers_both_answer_items_and_tiles(site):
    base, parcels = site
    centre = shapely.centroid(parcels["T-001"].geometry)
    tile = tile_containing(centre.x, centre.y, 13)
    tile_url = (f"{base}/api/collections/parcels/tiles/WebMercatorQuad/"
                f"{tile.z}/{tile.y}/{tile.x}")
    answers = _get_from_both_workers([f"{base}{ITEMS}?limit=4", tile_url] * (REQUESTS // 2))
    assert {status for status, _, _ in answers} == {200}
    assert len({worker for _, worker, _ in answers}) == 2


def test_postgis_workers_all_serve_an_edit_saved_by_one(site):
    base, parcels = site
    parcel = parcels["T-001"]
    session, token = _editor(base, "editor0", parcel.id)
    url = f"{base}{ITEMS}/{parcel.id}"
    assert _patch(session, token, url, f'"{parcel.id}-1"', {"status": "sold"}) == 200
    answers = _get_from_both_workers([url] * REQUESTS)
    assert len({worker for _, worker, _ in answers}) == 2
    assert all(status == 200 and b'"sold"' in body for status, _, body in answers)


def test_postgis_workers_let_one_of_concurrent_stale_edits_win(site):
    base, parcels = site
    parcel = parcels["T-002"]
    editors = [_editor(base, f"editor{n}", parcel.id) for n in range(4)]
    url = f"{base}{ITEMS}/{parcel.id}"

    def edit(n: int) -> int:
        session, token = editors[n % len(editors)]
        return _patch(session, token, url, f'"{parcel.id}-1"', {"note": f"edit {n}"})

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(edit, range(16), timeout=120))
    assert sorted(statuses) == [200] + [412] * 15
    assert Session().request("GET", url).headers["etag"] == f'"{parcel.id}-2"'
