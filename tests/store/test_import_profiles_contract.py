"""store.import_profiles on every backend: add and read back, found by the layout's field
signature in any column order, unique names, versioned rename and mapping changes (409 on a
stale version), deletion, hostile text kept as data, and the GeoPackage table registered as
non-layer content."""

import sqlite3
from contextlib import closing

import pytest

from webapp.domain.errors import ConflictError, InvalidParameterError, NotFoundError
from webapp.store.import_profiles import field_signature
from webapp.store.tables import IMPORT_PROFILES

FIELDS = ["宗地編號", "用地性質", "面積"]
MAPPING = {"fields": {"宗地編號": "code", "用地性質": "land_use"},
           "values": {"land_use": {"住宅區": "0701", "商業區": "0901"}},
           "others": {}, "defaults": {"status": "reserve"}, "fixed": {"street": "塘西街道"}}


@pytest.fixture
def profiles(store):
    store.ensure_schema()
    return store.import_profiles


def test_import_profile_add_reads_back(profiles):
    added = profiles.add(" 自然资源局 monthly ", FIELDS, MAPPING, "ada")
    assert (added.name, added.signature, added.mapping, added.version) == (
        "自然资源局 monthly", tuple(sorted(FIELDS)), MAPPING, 1)
    assert added.created_by == added.updated_by == "ada"
    assert profiles.get(added.id) == added
    assert profiles.profiles() == [added]


def test_import_profile_matching_ignores_column_order(profiles):
    added = profiles.add("monthly", FIELDS, MAPPING, "ada")
    profiles.add("other layout", ["ZDBH", "YDXZ"], {}, "ada")
    assert profiles.matching(list(reversed(FIELDS))) == [added]
    assert profiles.matching(["宗地編號", "用地性質"]) == []


def test_import_profile_matching_lists_every_profile_of_the_layout(profiles):
    first = profiles.add("a", FIELDS, MAPPING, "ada")
    second = profiles.add("b", FIELDS, {}, "ada")
    assert {p.id for p in profiles.matching(FIELDS)} == {first.id, second.id}


def test_import_profile_name_is_unique(profiles):
    profiles.add("monthly", FIELDS, MAPPING, "ada")
    with pytest.raises(ConflictError, match="exists already"):
        profiles.add("monthly", ["x"], {}, "bo")


def test_import_profile_rename_bumps_version(profiles):
    added = profiles.add("monthly", FIELDS, MAPPING, "ada")
    renamed = profiles.update(added.id, 1, "bo", name="自然资源局 月报")
    assert (renamed.name, renamed.version, renamed.updated_by, renamed.created_by) == (
        "自然资源局 月报", 2, "bo", "ada")
    assert renamed.mapping == MAPPING


def test_import_profile_stale_update_conflicts(profiles):
    added = profiles.add("monthly", FIELDS, MAPPING, "ada")
    profiles.update(added.id, 1, "bo", mapping={"fields": {"面積": "ignore"}})
    with pytest.raises(ConflictError) as raised:
        profiles.update(added.id, 1, "cy", name="late")
    assert raised.value.current.version == 2
    assert profiles.get(added.id).name == "monthly"


def test_import_profile_rename_to_taken_name_conflicts(profiles):
    profiles.add("a", FIELDS, MAPPING, "ada")
    second = profiles.add("b", FIELDS, MAPPING, "ada")
    with pytest.raises(ConflictError, match="exists already"):
        profiles.update(second.id, 1, "ada", name="a")


def test_import_profile_delete(profiles):
    added = profiles.add("monthly", FIELDS, MAPPING, "ada")
    with pytest.raises(ConflictError):
        profiles.delete(added.id, 5)
    profiles.delete(added.id, 1)
    assert profiles.profiles() == []
    with pytest.raises(NotFoundError):
        profiles.get(added.id)


@pytest.mark.parametrize("profile_id", [0, -1, 2**70, 999])
def test_import_profile_unknown_id_is_not_found(profiles, profile_id):
    with pytest.raises(NotFoundError):
        profiles.get(profile_id)
    with pytest.raises(NotFoundError):
        profiles.update(profile_id, 1, "ada", name="x")


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "a\x00b", "tab\there", None])
def test_import_profile_bad_name_is_refused(profiles, name):
    with pytest.raises(InvalidParameterError):
        profiles.add(name, FIELDS, MAPPING, "ada")


def test_import_profile_keeps_hostile_text_as_data(profiles):
    hostile = "<script>alert(1)</script>'; DROP TABLE x; --"
    mapping = {"fields": {hostile: "code"}, "values": {"land_use": {"\u2028" + hostile: "0701"}}}
    added = profiles.add(hostile, [hostile, "名称"], mapping, hostile)
    assert profiles.get(added.id).mapping == mapping
    assert profiles.matching(["名称", hostile]) == [added]


def test_field_signature_is_sorted_unique_nfc():
    assert field_signature(["b", "a", "b", "e\u0301"]) == ("a", "b", "\u00e9")


def test_import_profile_table_is_not_a_geopackage_layer(gpkg):
    gpkg.ensure_schema()
    with closing(sqlite3.connect(gpkg.path)) as db:
        data_type = db.execute("SELECT data_type FROM gpkg_contents WHERE table_name = ?",
                               (IMPORT_PROFILES,)).fetchone()
    assert data_type == ("landgis_import_profiles",)
