"""The app on a PostGIS store: seeded from a file on first run, pages, API, tiles and an edit."""

import mapbox_vector_tile
import shapely

from tests.editing_fixtures import add_staff, client_as, csrf_token
from webapp.store.postgis import PostGISStore
from webapp.tiles.grid import tile_containing


def test_postgis_app_seeds_the_store_from_the_sample_file(pg_app):
    store = pg_app.extensions["landgis.store"]
    assert isinstance(store, PostGISStore) and store.count() == 4


def test_postgis_app_serves_the_map_page(pg_app):
    response = pg_app.test_client().get("/?lang=en")
    assert response.status_code == 200 and "T-001" in response.get_data(as_text=True)


def test_postgis_app_serves_a_parcel_page(pg_app):
    parcel = pg_app.extensions["landgis.store"].get("T-001")
    html = pg_app.test_client().get("/parcels/T-001?lang=en").get_data(as_text=True)
    assert f'<strong id="area-mu">{parcel.area_mu:,.2f}</strong>' in html


def test_postgis_app_serves_api_items(pg_app):
    response = pg_app.test_client().get("/api/collections/parcels/items?limit=2")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    assert [f["properties"]["code"] for f in response.json["features"]] == ["T-001", "T-002"]
    assert response.json["numberMatched"] == 4


def test_postgis_app_serves_native_tiles(pg_app):
    centre = shapely.centroid(pg_app.extensions["landgis.store"].get("T-001").geometry)
    tile = tile_containing(centre.x, centre.y, 13)
    response = pg_app.test_client().get(
        f"/api/collections/parcels/tiles/WebMercatorQuad/{tile.z}/{tile.y}/{tile.x}")
    layer = mapbox_vector_tile.decode(response.data)["parcels"]
    assert sorted(f["properties"]["code"] for f in layer["features"]) == [
        "T-001", "T-002", "T-003", "T-004"]


def test_postgis_app_saves_an_api_edit_with_version_check(pg_app):
    add_staff(pg_app)
    client = client_as(pg_app, "editor")
    url = f"/api/collections/parcels/items/{pg_app.extensions['landgis.store'].get('T-001').id}"
    headers = {"Content-Type": "application/json", "If-Match": client.get(url).headers["ETag"],
               "X-CSRFToken": csrf_token(client, "/admin/parcels")}
    assert client.patch(url, json={"status": "sold"}, headers=headers).status_code == 200
    assert client.patch(url, json={"status": "reserve"}, headers=headers).status_code == 412


def test_postgis_app_answers_503_when_the_database_connection_was_lost(pg_app):
    store = pg_app.extensions["landgis.store"]
    client = pg_app.test_client()
    centre = shapely.centroid(store.get("T-001").geometry)
    tile = tile_containing(centre.x, centre.y, 13)
    url = f"/api/collections/parcels/tiles/WebMercatorQuad/{tile.z}/{tile.y}/{tile.x}"
    assert client.get(url).status_code == 200
    with store.database.autocommit() as conn:  # the session the request thread reads on
        reading = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    with store.database.transaction() as conn:  # the server ends it, as at a restart
        conn.execute("SELECT pg_terminate_backend(%s)", (reading,))
    lost = client.get(url)
    assert lost.status_code == 503 and lost.headers["Retry-After"] == "5"
    assert lost.json["code"] == "ServiceUnavailable"
    assert lost.json["description"] == "暂时无法连接地块数据库，请稍后再试。"  # zh by default
    assert client.get(url).status_code == 200  # the next request reconnects
    with store.database.autocommit() as conn:
        reading = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    with store.database.transaction() as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (reading,))
    page = client.get("/?lang=zh")  # a person sees the error page, in their language
    assert page.status_code == 503 and "暂时无法连接地块数据库" in page.get_data(as_text=True)
