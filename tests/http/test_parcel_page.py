"""Parcel pages, their QR codes, and the not-found page."""

import pytest


def test_parcel_page_by_code_shows_area_in_three_units(client, small_store):
    parcel = small_store.get("T-001")
    html = client.get("/parcels/T-001?lang=en").get_data(as_text=True)
    assert f'<strong id="area-mu">{parcel.area_mu:,.2f}</strong>' in html
    assert f"{parcel.area_m2:,.2f} m²" in html and f"{parcel.area_ha:,.2f} ha" in html


def test_parcel_page_by_id_is_the_same_parcel(client, small_store):
    parcel = small_store.get("T-002")
    assert "T-002" in client.get(f"/parcels/{parcel.id}").get_data(as_text=True)


def test_parcel_page_shows_planning_ranges(client):
    html = client.get("/parcels/T-002?lang=en").get_data(as_text=True)
    assert "1 – 2" in html  # floor-area ratio range 1.0 to 2.0


def test_parcel_page_shows_one_sided_range(client):
    assert "≥ 1.2" in client.get("/parcels/T-001").get_data(as_text=True)


def test_parcel_page_land_use_in_chosen_language(client):
    assert "一类工业用地" in client.get("/parcels/T-001?lang=zh").get_data(as_text=True)


def test_parcel_page_share_link_is_absolute(client):
    html = client.get("/parcels/T-001").get_data(as_text=True)
    assert 'value="http://localhost/parcels/T-001"' in html


def test_parcel_qr_is_svg_of_page_url(client):
    response = client.get("/qr/parcels/T-001.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data


@pytest.mark.parametrize("path", ["/parcels/NOPE", "/parcels/999", "/qr/parcels/NOPE.svg"])
def test_parcel_unknown_is_404_with_message(client, path):
    response = client.get(path + "?lang=en")
    assert response.status_code == 404
    assert "No published parcel has the code or number" in response.get_data(as_text=True)


def test_unknown_url_is_friendly_404(client):
    response = client.get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "此地址没有页面" in html and "Traceback" not in html


def test_unknown_url_json_client_gets_json_error(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.json["code"] == "NotFound"


def test_unexpected_error_is_500_without_traceback(small_app):
    @small_app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = small_app.test_client().get("/boom")
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)
