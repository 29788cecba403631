"""The import mapping: its file (JSON, TOML, the old flat format), its checks, and its value
rules, defaults and fixed values applied to whole columns; the survey of unknown values."""

import json

import numpy as np
import pandas as pd
import pytest

from webapp.domain.errors import DataFileError
from webapp.domain.landuse import load_landuse_table
from webapp.importing.columns import convert_attribute_columns
from webapp.importing.field_survey import field_samples, merge_unknown_values, unknown_values
from webapp.importing.mapping import ImportMapping, read_mapping_file

TABLE = load_landuse_table()
FULL = {"fields": {"用地性質": "land_use", "ZDBH": "code"},
        "values": {"land_use": {"住宅區": "0701", "R-1": "0701"},
                   "status": {"待售": "available"}},
        "others": {"land_use": "1209"}, "defaults": {"status": "reserve"},
        "fixed": {"street": "塘西街道"}}


def test_mapping_json_round_trips():
    mapping = ImportMapping.from_json(FULL, "m.json")
    assert mapping.values["land_use"]["住宅區"] == "0701"
    assert ImportMapping.from_json(mapping.to_json(), "again") == mapping


def test_mapping_file_reads_toml_tables(tmp_path):
    path = tmp_path / "profile.toml"
    path.write_text('[fields]\n"用地性質" = "land_use"\n[values.land_use]\n"住宅區" = "0701"\n'
                    '[defaults]\nstatus = "reserve"\n', encoding="utf-8")
    mapping = read_mapping_file(path)
    assert (mapping.fields, mapping.values, mapping.defaults) == (
        {"用地性質": "land_use"}, {"land_use": {"住宅區": "0701"}}, {"status": "reserve"})


def test_old_flat_mapping_file_reads_as_fields(tmp_path):
    path = tmp_path / "old.json"
    path.write_text('{"DKBM": "code", "OLD": "ignore"}', encoding="utf-8")
    assert read_mapping_file(path) == ImportMapping(fields={"DKBM": "code", "OLD": "ignore"})


@pytest.mark.parametrize(("data", "message"), [
    ([1, 2], "m.json: a mapping is an object of sections"),
    ({"fields": {"A": "nonsense"}}, "m.json: unknown target fields nonsense; known: .*code"),
    ({"fields": {"A": 3}}, "fields must be an object of text"),
    ({"colour": {}}, "unknown mapping sections colour"),
    ({"values": ["x"]}, "values must be an object"),
    ({"values": {"far": {"a": "1"}}}, "for land_use, status, supply_method only, not far"),
    ({"values": {"land_use": {"住宅區": "9999"}}},
     "values.land_use.住宅區: “9999” is not a valid land_use; .*07 居住用地"),
    ({"others": {"status": "maybe"}}, "others.status: “maybe” .*available, negotiating"),
    ({"defaults": {"supply_method": "gift"}}, "defaults.supply_method: .*listing, auction"),
    ({"fixed": {"colour": "red"}}, "fixed: unknown target fields colour"),
    ({"defaults": {"far": "lots"}}, "defaults.far: “lots” is not a valid far"),
])
def test_bad_mapping_is_refused_naming_the_source(data, message):
    with pytest.raises(DataFileError, match=message):
        ImportMapping.from_json(data, "m.json")


def test_unreadable_mapping_file_is_refused(tmp_path):
    path = tmp_path / "m.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"m\.json: cannot read the field mapping"):
        read_mapping_file(path)


def convert(frame: pd.DataFrame, data: dict):
    fields = {c: t for c, t in (("code", "code"), ("use", "land_use"), ("zt", "status"))
              if c in frame.columns}
    mapping = ImportMapping.from_json(data, "m")
    return convert_attribute_columns(frame, fields, TABLE, mapping)


def test_mapped_values_become_codes_and_keep_the_source_word():
    frame = pd.DataFrame({"code": ["A", "B", "C"], "use": ["住宅區", "R-1", "工业用地"]})
    columns = convert(frame, {"values": {"land_use": {"住宅區": "0701", "R-1": "0701"}}})
    assert columns.fields["land_use"].tolist() == ["0701", "0701", "1001"]
    assert columns.fields["land_use_source"].tolist() == ["住宅區", "R-1", "工业用地"]
    assert columns.errors.tolist() == [None, None, None]


def test_unmapped_unknown_value_takes_the_others_code_or_is_rejected():
    frame = pd.DataFrame({"code": ["A", "B"], "use": ["配套", "0901"]})
    assert convert(frame, {"others": {"land_use": "1209"}}).fields["land_use"].tolist() == [
        "1209", "0901"]
    assert convert(frame, {}).errors.tolist() == ["use: unknown land use “配套”", None]


def test_defaults_fill_blank_cells_and_missing_fields():
    frame = pd.DataFrame({"code": ["A", "B"], "use": ["0901", None], "zt": ["sold", " "]})
    columns = convert(frame, {"defaults": {"status": "negotiating", "land_use": "1001",
                                           "lease_years": "50"}})
    assert columns.fields["status"].tolist() == ["sold", "negotiating"]
    assert columns.fields["land_use"].tolist() == ["0901", "1001"]
    assert columns.fields["lease_years"].tolist() == [50, 50]


def test_fixed_value_overrides_the_file():
    frame = pd.DataFrame({"code": ["A", "B"], "use": ["0901", "0901"], "zt": ["bad", "sold"]})
    columns = convert(frame, {"fixed": {"status": "reserve", "street": "塘西街道"}})
    assert columns.fields["status"].tolist() == ["reserve", "reserve"]
    assert columns.fields["street"].tolist() == ["塘西街道", "塘西街道"]
    assert columns.errors.tolist() == [None, None]


def test_numeric_land_use_cells_map_as_written():
    frame = pd.DataFrame({"code": ["A", "B"], "use": [11.0, 12.0]})
    columns = convert(frame, {"values": {"land_use": {"11": "0701", "12": "0901"}}})
    assert columns.fields["land_use"].tolist() == ["0701", "0901"]


def test_unknown_values_counts_what_the_mapping_leaves_unknown():
    frame = pd.DataFrame({"ZDBH": list("ABCDEF"),
                          "用地性質": ["住宅區", "住宅區", "商業區", "0901", None, "住宅區"],
                          "状态": ["待售", "可供", "待售", "x", "可供", "可供"]})
    found = unknown_values(frame, ImportMapping(values={"land_use": {"商業區": "0901"}}))
    assert found == {"land_use": [("住宅區", 3)], "status": [("待售", 2), ("x", 1)]}
    mapped = ImportMapping(values={"land_use": {"商業區": "0901"}}, others={"land_use": "1209"},
                           fixed={"status": "reserve"})
    assert unknown_values(frame, mapped) == {}


def test_unknown_values_of_chunks_add_up():
    merged = merge_unknown_values({"land_use": [("a", 2), ("b", 1)]},
                                  {"land_use": [("b", 3)], "status": [("x", 1)]})
    assert merged == {"land_use": [("b", 4), ("a", 2)], "status": [("x", 1)]}


def test_field_samples_show_distinct_values_in_row_order():
    frame = pd.DataFrame({"a": ["x", None, "x", " ", "y", "z", "w"],
                          "n": [1.0, 2.0, np.nan, 2.0, 3.5, 4.0, 5.0]})
    assert field_samples(frame) == {"a": ["x", "y", "z"], "n": ["1", "2", "3.5"]}
    assert field_samples(frame, n=1) == {"a": ["x"], "n": ["1"]}


def test_mapping_file_of_hostile_text_is_data(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"values": {"land_use": {"<script>{{7*7}}": "0701"}}}),
                    encoding="utf-8")
    frame = pd.DataFrame({"code": ["A"], "use": ["<script>{{7*7}}"]})
    columns = convert_attribute_columns(frame, {"code": "code", "use": "land_use"}, TABLE,
                                        read_mapping_file(path))
    assert columns.fields["land_use_source"].tolist() == ["<script>{{7*7}}"]
