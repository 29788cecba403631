"""Parcel ids in URLs: only ASCII digits within the signed 64-bit range are ids; anything else is
a code (public pages, API items) or no parcel (staff routes). Never a 500, on either backend."""

import pytest

from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff, client_as, csrf_token
from tests.store.postgis_fixtures import postgis_schema_url

# Each of these names no parcel of the four-parcel district (ids 1-4).
NO_PARCEL = ["²", "٣", "9223372036854775808", str(2**64), "-1", "0", "1e3", "9" * 10_000,
             "%00", "3%00", "%C2%B2", "%EF%BC%93"]


@pytest.fixture(scope="module", params=["geopackage", "postgis"])
def any_app(request, tmp_path_factory):
    """The four-parcel app with staff accounts, on each store backend (shared by this module's
    tests, which only read)."""
    tmp_path = tmp_path_factory.mktemp(request.param)
    if request.param == "geopackage":
        app = make_app(tmp_path, DATA / "small.geojson")
        add_staff(app)
        yield app
        return
    with postgis_schema_url() as url:
        app = make_app(tmp_path, DATA / "small.geojson", STORE_URL=url)
        try:
            add_staff(app)
            yield app
        finally:
            app.extensions["landgis.store"].close()


@pytest.mark.parametrize("key", NO_PARCEL)
@pytest.mark.parametrize("path", ["/parcels/{}", "/qr/parcels/{}.svg",
                                  "/api/collections/parcels/items/{}"])
def test_parcel_ids_public_routes_answer_404(any_app, path, key):
    response = any_app.test_client().get(path.format(key))
    assert response.status_code == 404


@pytest.mark.parametrize("key", NO_PARCEL)
def test_parcel_ids_staff_edit_page_answers_404(any_app, key):
    response = client_as(any_app, "editor").get(f"/admin/parcels/{key}/edit")
    assert response.status_code == 404


@pytest.mark.parametrize("key", NO_PARCEL)
def test_parcel_ids_staff_edit_submit_answers_404(any_app, key):
    client = client_as(any_app, "editor")
    data = {"csrf_token": csrf_token(client, "/admin/parcels"), "version": "1",
            "status": "sold"}
    assert client.post(f"/admin/parcels/{key}/edit", data=data).status_code == 404


@pytest.mark.parametrize("key", NO_PARCEL)
def test_parcel_ids_api_patch_answers_404(any_app, key):
    client = client_as(any_app, "editor")
    headers = {"If-Match": '"1-1"', "X-CSRFToken": csrf_token(client, "/admin/parcels")}
    response = client.patch(f"/api/collections/parcels/items/{key}", json={"status": "sold"},
                            headers=headers)
    assert response.status_code == 404 and response.json["code"] == "NotFound"


@pytest.mark.parametrize("key", ["9223372036854775808", "9" * 10_000, "0"])
@pytest.mark.parametrize("path", ["/admin/changes/{}/restore"])
def test_parcel_ids_change_restore_answers_404(any_app, path, key):
    assert client_as(any_app, "admin").get(path.format(key)).status_code == 404


def test_parcel_ids_valid_id_still_finds_the_parcel(any_app):
    parcel = any_app.extensions["landgis.store"].get("T-002")
    client = client_as(any_app, "editor")
    assert client.get(f"/parcels/{parcel.id}").status_code == 200
    assert client.get(f"/api/collections/parcels/items/{parcel.id}").status_code == 200
    assert client.get(f"/admin/parcels/{parcel.id}/edit").status_code == 200


def test_parcel_ids_not_found_message_shows_the_key_as_text(small_app):
    response = small_app.test_client().get("/parcels/%3Cb%3Ex?lang=en")
    assert response.status_code == 404
    assert "&lt;b&gt;x" in response.get_data(as_text=True)
