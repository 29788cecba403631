"""The CSV export for people: headers and names in the user's language, codes in their own
columns, read back by the importer's column mapping onto the same fields."""

import csv
import io

import numpy as np
import pandas as pd
import pytest

from webapp.domain.export_columns import HEADERS, NAME_COLUMNS, header, import_target
from webapp.domain.filters import ParcelFilter
from webapp.domain.landuse import load_landuse_table
from webapp.domain.parcel import ATTRIBUTE_TYPES
from webapp.importing.columns import convert_attribute_columns
from webapp.importing.fields import guess_mapping


def exported(client, language: str) -> str:
    """The CSV export's text in a language."""
    response = client.get(f"/export/parcels.csv?lang={language}")
    assert response.status_code == 200
    return response.get_data().decode("utf-8-sig")


def test_csv_content_type_names_charset_once(client):
    assert client.get("/export/parcels.csv").headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize(("language", "code", "status", "price"), [
    ("zh", "宗地编号", "状态名称", "起始价（万元）"),
    ("en", "Parcel code", "Status name", "Starting price (10,000 yuan)"),
])
def test_csv_headers_in_user_language(client, language, code, status, price):
    headers = next(csv.reader(io.StringIO(exported(client, language))))
    assert headers == [header(column, language) for column in HEADERS]
    assert {code, status, price} <= set(headers)
    assert not {"far_min", "price_start_wan", "status"} & set(headers)


@pytest.mark.parametrize(("language", "names"), [
    ("zh", {"status_name": "已出让", "supply_method_name": "招标", "land_use_name": "商业用地"}),
    ("en", {"status_name": "Sold", "supply_method_name": "Tender",
            "land_use_name": "Commercial land"}),
])
def test_csv_names_values_beside_their_codes(client, language, names):
    rows = list(csv.DictReader(io.StringIO(exported(client, language))))
    sold = next(r for r in rows if r[header("code", language)] == "T-003")
    assert sold[header("status", language)] == "sold"
    assert sold[header("supply_method", language)] == "tender"
    assert sold[header("land_use", language)] == "0901"
    for column, name in names.items():
        assert sold[header(column, language)] == name
    assert set(NAME_COLUMNS) == set(names)


@pytest.mark.parametrize("column", HEADERS)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_importer_maps_each_export_header_back(column, language):
    name = header(column, language)
    assert guess_mapping([name]) == {name: import_target(column)}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_csv_export_round_trips_through_importer_mapping(client, small_app, language):
    frame = pd.read_csv(io.StringIO(exported(client, language)), dtype=str,
                        keep_default_na=False).replace("", None)
    mapping = guess_mapping(list(frame.columns))
    assert set(mapping) == set(frame.columns)  # every column recognised
    table = load_landuse_table()
    columns = convert_attribute_columns(frame, mapping, table)
    assert list(columns.errors) == [None] * len(frame)
    store = small_app.extensions["landgis.store"]
    by_code = {p.code: p for p in store.query(ParcelFilter(), limit=None).parcels}
    for row, code in enumerate(columns.fields["code"]):
        parcel = by_code[code]
        for name in ATTRIBUTE_TYPES:
            value = columns.fields[name][row]
            value = value.item() if isinstance(value, np.generic) else value
            assert value == getattr(parcel, name), (code, name)
    declared = columns.fields["declared_area"].astype(float)
    assert np.allclose(declared, [round(by_code[c].area_m2, 2) for c in columns.fields["code"]])
