"""Importing a file again keeps stored drafts as drafts (both modes, every backend) unless the
import asks to publish them (issue 14, section 6)."""

import pytest

from tests.store.conftest import prepared_small
from webapp.domain.audit import ChangeFilter
from webapp.importing.pipeline import ImportPlan, apply_import
from webapp.importing.report import ImportReport


def plan_of(frame):
    return ImportPlan(frame, ImportReport(source="small.geojson", file_format="GeoJSON"))


@pytest.fixture
def draft_store(store):
    """The four-parcel store with T-001 set to draft by an editor."""
    store.ensure_schema()
    parcel = store.get("T-001")
    store.update_parcel(parcel.id, {"published": False}, None, "eddie", "form")
    return store


def published(store, code):
    return store.get(code, include_drafts=True).published


@pytest.mark.parametrize("mode", ["replace", "upsert"])
def test_import_again_keeps_draft(draft_store, mode):
    apply_import(draft_store, plan_of(prepared_small()), mode)
    assert published(draft_store, "T-001") is False
    assert published(draft_store, "T-002") is True


@pytest.mark.parametrize("mode", ["replace", "upsert"])
def test_import_with_publish_existing_publishes_draft(draft_store, mode):
    apply_import(draft_store, plan_of(prepared_small()), mode, publish_existing=True)
    assert published(draft_store, "T-001") is True


@pytest.mark.parametrize("mode", ["replace", "upsert"])
def test_import_as_drafts_keeps_stored_parcels_published(draft_store, mode):
    frame = prepared_small()
    frame["published"] = False  # --draft: new parcels only
    apply_import(draft_store, plan_of(frame), mode)
    assert [published(draft_store, c) for c in ("T-001", "T-002")] == [False, True]


def test_replace_keeping_draft_records_no_published_change(draft_store):
    before = draft_store.changes(ChangeFilter()).number_matched
    apply_import(draft_store, plan_of(prepared_small()), "replace")
    assert draft_store.changes(ChangeFilter()).number_matched == before


def test_publish_existing_is_audited(draft_store):
    apply_import(draft_store, plan_of(prepared_small()), "upsert", publish_existing=True)
    newest = draft_store.changes(ChangeFilter()).changes[0]
    assert (newest.field, newest.source) == ("published", "import")
