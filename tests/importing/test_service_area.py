"""The service area: parsed from the setting, derived from the store, and the import refusing
features outside it with the expected and found areas named."""

import numpy as np
import pytest

from tests.conftest import DATA, make_app
from webapp.config import load_settings, validate_settings
from webapp.domain.errors import ConfigError, DataFileError
from webapp.importing.service_area import (
    CHINA,
    ServiceArea,
    check_in_service_area,
    parse_service_area,
    service_area_from,
)


def test_setting_is_a_lon_lat_box():
    assert parse_service_area(" -74.3, 40.5, -73.7, 40.9 ") == ServiceArea(-74.3, 40.5, -73.7,
                                                                          40.9)
    assert parse_service_area("") is None


@pytest.mark.parametrize(("text", "message"), [
    ("1,2,3", "not four numbers"),
    ("a,b,c,d", "not four numbers"),
    ("119,31,118,32", "not a lon/lat box"),
    ("118,31,119,95", "not a lon/lat box"),
    ("400000,3500000,410000,3510000", "not a lon/lat box"),
])
def test_bad_setting_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_service_area(text)


def test_bad_setting_stops_the_app_with_a_readable_message(tmp_path):
    values = load_settings(tmp_path, {"TESTING": True}, environ={
        "LANDGIS_SERVICE_AREA": "118,31"})
    with pytest.raises(ConfigError, match="SERVICE_AREA: “118,31” is not four numbers"):
        validate_settings(values)


def test_area_without_setting_surrounds_the_stored_parcels(tmp_path):
    store = make_app(tmp_path, DATA / "small.geojson").extensions["landgis.store"]
    west, south, east, north = store.bounds()
    area = service_area_from("", store)
    assert (area.west, area.south, area.east, area.north) == pytest.approx(
        (west - 0.5, south - 0.5, east + 0.5, north + 0.5))
    assert "store" in area.origin


def test_configured_area_wins_and_an_empty_store_means_china(tmp_path):
    store = make_app(tmp_path, DATA / "small.geojson").extensions["landgis.store"]
    assert service_area_from("10,20,11,21", store) == ServiceArea(10, 20, 11, 21)
    assert service_area_from("", None) == CHINA


def test_features_outside_are_refused_naming_both_areas():
    area = ServiceArea(118.0, 31.2, 119.0, 32.2, origin="configured (SERVICE_AREA)")
    check_in_service_area(np.array([118.4, 31.6, 118.6, 31.8]), area, "EPSG:4490")
    with pytest.raises(DataFileError) as raised:
        check_in_service_area(np.array([-74.01, 40.70, -73.99, 40.72]), area, "EPSG:2263")
    message = str(raised.value)
    assert "74.01 W..73.99 W, 40.70 N..40.72 N" in message
    assert "outside the service area 118.00 E..119.00 E, 31.20 N..32.20 N" in message
    assert "LANDGIS_SERVICE_AREA" in message
