"""Two landgis servers with their own instance folders and processes on one PostGIS store (the
README's "Several servers" layout): an edit through one is seen by the other at once, its kept
summaries included, and failed logins spread over both lock the account."""

import os
import re
import urllib.request

import pytest
import shapely

from tests.conftest import DATA, make_app
from tests.editing_fixtures import PASSWORD, add_staff
from tests.live.http_session import CSRF, Session
from tests.live.servers import SECRET_KEY, live_server
from tests.store.postgis_fixtures import postgis_schema_url
from webapp.tiles.grid import tile_containing

pytestmark = pytest.mark.slow

NEW_LAND_USE = "0902"  # 商务金融用地: no parcel of the four-parcel district has it
GROUP = re.compile(rf'name="land_use" value="{NEW_LAND_USE}"')  # the kept land-use breakdown


def server_env(instance: str, url: str) -> dict[str, str]:
    """Settings of one server: its own instance folder, the shared store and secret key."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANDGIS_")}
    env.update({"LANDGIS_INSTANCE_PATH": instance, "LANDGIS_STORE_URL": url,
                "LANDGIS_SECRET_KEY": SECRET_KEY, "LANDGIS_BASEMAP_URL": "",
                "LANDGIS_SAMPLE_PATH": str(DATA / "small.geojson"),
                "LANDGIS_LOGIN_MAX_FAILURES": "5", "LANDGIS_LOGIN_MAX_FAILURES_PER_ADDRESS": "50",
                "LANDGIS_RATE_LIMIT_API": "", "LANDGIS_RATE_LIMIT_EXPORT": ""})
    return env


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Base URLs of two servers (instance folders a/ and b/) on one PostGIS schema, and the
    parcel T-001 as stored before the tests."""
    root = tmp_path_factory.mktemp("two-servers")
    with postgis_schema_url() as url:
        app = make_app(root / "a", DATA / "small.geojson", STORE_URL=url)
        add_staff(app, {"eddie": "editor", "olga": "editor"})
        store = app.extensions["landgis.store"]
        parcel = store.get("T-001")
        store.close()
        (root / "b" / "instance").mkdir(parents=True)
        with live_server(server_env(app.instance_path, url), root / "a.log") as a, \
                live_server(server_env(str(root / "b" / "instance"), url), root / "b.log") as b:
            yield a, b, parcel


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.status, response.read()


def views_of(base: str, parcel) -> dict[str, bytes]:
    """What a visitor of one server sees of the parcel: its item, the map page (land-use
    breakdown, a kept summary) and its tile filtered by the new land use."""
    centre = shapely.centroid(parcel.geometry)
    tile = tile_containing(centre.x, centre.y, 14)
    paths = {"item": f"/api/collections/parcels/items/{parcel.id}", "map": "/",
             "tile": (f"/api/collections/parcels/tiles/WebMercatorQuad/{tile.z}/{tile.y}/"
                      f"{tile.x}?land_use={NEW_LAND_USE}")}
    answers = {name: get(base + path) for name, path in paths.items()}
    assert {status for status, _ in answers.values()} == {200}
    return {name: body for name, (_, body) in answers.items()}


def test_two_servers_see_an_edit_at_once(servers):
    a, b, parcel = servers
    before = views_of(b, parcel)  # b keeps the summary of the district before the edit
    assert not GROUP.search(before["map"].decode()) and b"T-001" not in before["tile"]
    session = Session()
    assert session.login(a, "eddie", PASSWORD).status == 302
    token = CSRF.search(session.request("GET", f"{a}/admin/parcels/{parcel.id}/edit").text)
    reply = session.request("PATCH", f"{a}/api/collections/parcels/items/{parcel.id}",
                            body={"land_use": NEW_LAND_USE},
                            headers={"If-Match": f'"{parcel.id}-{parcel.version}"',
                                     "X-CSRFToken": token.group(1)})
    assert reply.status == 200, reply.text[:300]
    after = views_of(b, parcel)
    assert f'"land_use": "{NEW_LAND_USE}"' in after["item"].decode().replace('":"', '": "')
    assert GROUP.search(after["map"].decode())
    assert b"T-001" in after["tile"]


def test_two_servers_share_login_throttling(servers):
    a, b, _ = servers
    statuses = [Session().login((a, b)[n % 2], "olga", "wrong password").status
                for n in range(5)]
    refused = [Session().login(url, "olga", PASSWORD).status for url in (a, b)]
    assert statuses == [200] * 5 and refused == [429, 429]
