"""What an import would do (store.import_effect) and the history of the parcels an import
creates or removes, on every backend."""

import pandas as pd
import pytest

from tests.store.conftest import prepared_small
from webapp.domain.audit import ChangeFilter
from webapp.store.import_effect import ImportEffect


def next_month_file():
    """T-001 as stored, T-002 renamed, T-003 and T-004 gone, T-005 new."""
    frame = prepared_small()
    frame.loc[frame["code"] == "T-002", "name"] = "新名称"
    added = frame[frame["code"] == "T-004"].copy()
    added["code"] = "T-005"
    frame = frame[frame["code"].isin(["T-001", "T-002"])]
    return pd.concat([frame, added], ignore_index=True).assign(id=[1, 2, 3])


def lifecycle(store, field):
    changes = store.changes(ChangeFilter(field=field), limit=100).changes
    return sorted((c.parcel_code, c.new_value, c.actor, c.source) for c in changes)


def test_import_effect_counts_new_changed_unchanged_removed(store):
    effect = store.import_effect(next_month_file())
    assert effect == ImportEffect(new=1, changed=1, unchanged=1, removed=2)


def test_import_effect_writes_nothing(store):
    store.import_effect(next_month_file())
    assert store.count() == 4 and store.get("T-002").name != "新名称"


def test_import_effect_of_the_stored_file_changes_nothing(store):
    assert store.import_effect(prepared_small()) == ImportEffect(unchanged=4)


def test_import_effect_on_an_empty_store_is_all_new(empty_store):
    assert empty_store.import_effect(prepared_small()) == ImportEffect(new=4)


def test_import_effect_counts_a_draft_published_only_when_asked(store):
    frame = prepared_small()
    frame.loc[frame["code"] == "T-001", "published"] = False
    store.replace_all(frame)
    assert store.import_effect(prepared_small()).changed == 0
    assert store.import_effect(prepared_small(), publish_existing=True).changed == 1


def test_replace_all_records_created_and_removed_parcels(store):
    store.replace_all(next_month_file(), "王工", source_name="二月.geojson")
    assert lifecycle(store, "created") == [("T-005", "二月.geojson", "王工", "import")]
    assert lifecycle(store, "removed") == [("T-003", "二月.geojson", "王工", "import"),
                                           ("T-004", "二月.geojson", "王工", "import")]


def test_replace_all_removed_parcel_history_is_found_by_code(store):
    store.replace_all(next_month_file(), "王工", source_name="二月.geojson")
    history = store.changes(ChangeFilter(parcel_code="T-003")).changes
    assert [(c.field, c.old_value, c.new_value) for c in history] == [
        ("removed", None, "二月.geojson")]


def test_upsert_records_created_parcels(store):
    store.upsert(next_month_file(), "王工", source_name="三月.zip")
    assert lifecycle(store, "created") == [("T-005", "三月.zip", "王工", "import")]
    created = store.changes(ChangeFilter(field="created")).changes[0]
    assert created.parcel_id == store.get("T-005").id and created.version == 1


def test_first_load_records_no_created_parcels(empty_store):
    empty_store.replace_all(prepared_small(), "王工", source_name="一月.geojson")
    empty_store.ensure_schema()
    assert lifecycle(empty_store, "created") == []


@pytest.mark.parametrize("method", ["replace_all", "upsert"])
def test_import_of_the_same_file_records_no_lifecycle(store, method):
    store.ensure_schema()
    getattr(store, method)(prepared_small(), "王工", source_name="一月.geojson")
    assert lifecycle(store, "created") == lifecycle(store, "removed") == []
