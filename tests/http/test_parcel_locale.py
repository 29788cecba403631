"""The parcel page writes money, times and contacts as its language and district do: 万元 in
Chinese and whole yuan in English, times in TIME_ZONE, tel: and mailto: links."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import DATA, make_app
from webapp.domain.local_time import DEFAULT_TIME_ZONE, use_time_zone

CODE = "G(2025)009"  # the sample's parcel: starting price 994 万元, 350 万元/亩, a phone number


@pytest.mark.parametrize(("lang", "price", "intensity"), [
    ("zh", "994.00 万元", "350.00 万元/亩"), ("en", "9,940,000 yuan", "3,500,000 yuan/mu")])
def test_parcel_page_money_in_language(sample_client, lang, price, intensity):
    html = sample_client.get(f"/parcels/{CODE}?lang={lang}").get_data(as_text=True)
    assert f'<td id="price-start">{price}</td>' in html
    assert intensity in html
    assert "10k" not in html


def test_parcel_page_contact_phone_is_a_tel_link(sample_client):
    html = sample_client.get(f"/parcels/{CODE}").get_data(as_text=True)
    assert '<a href="tel:05550000101">0555-0000101</a>' in html


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC"])
def test_parcel_page_update_time_in_time_zone(tmp_path, zone):
    app = make_app(tmp_path, DATA / "small.geojson", TIME_ZONE=zone)
    try:
        parcel = app.extensions["landgis.store"].get("T-001")
        html = app.test_client().get("/parcels/T-001").get_data(as_text=True)
    finally:
        use_time_zone(DEFAULT_TIME_ZONE)
    local = datetime.fromisoformat(parcel.updated_at).astimezone(ZoneInfo(zone))
    offset = "UTC+08:00" if zone == "Asia/Shanghai" else "UTC+00:00"
    assert f"{local:%Y-%m-%d %H:%M} ({offset})" in html
