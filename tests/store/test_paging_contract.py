"""Keyset pages, deep offsets and kept match counts, on every backend: a keyset page continues
after the last code seen, so following pages while parcels are inserted and deleted returns no
parcel twice and every parcel that stays exactly once; an offset served from kept milestones is
the page a plain OFFSET gives; numberMatched is right after edits, upserts and imports."""

import pandas as pd
import pytest
from shapely.affinity import translate

from tests.store.conftest import prepared_small
from webapp.domain.filters import ParcelFilter
from webapp.store import page_start

DISTRICT = ParcelFilter()
FILTERS = [DISTRICT, ParcelFilter(land_uses=("10",)), ParcelFilter(statuses=("available",)),
           ParcelFilter(streets=("塘西街道",)), ParcelFilter(include_drafts=True)]


def district(codes: list[str], first_id: int = 1) -> pd.DataFrame:
    """Prepared parcels with these codes and ids from first_id: the four test parcels repeated,
    each moved east by its id (so none overlap)."""
    small = prepared_small()
    rows = small.iloc[[i % len(small) for i in range(len(codes))]].reset_index(drop=True)
    rows["code"] = codes
    rows["id"] = range(first_id, first_id + len(codes))
    rows["geometry"] = [translate(g, xoff=0.01 * i) for g, i in zip(rows.geometry, rows["id"],
                                                                     strict=True)]
    return rows


@pytest.fixture
def paged(empty_store):
    """A store of each backend with 30 parcels P-000 ... P-029."""
    empty_store.replace_all(district([f"P-{i:03d}" for i in range(30)]))
    return empty_store


def all_codes(store, parcel_filter: ParcelFilter = DISTRICT) -> list[str]:
    return [p.code for p in store.query(parcel_filter, with_geometry=False).parcels]


def test_keyset_pages_while_parcels_come_and_go_return_each_parcel_once(paged):
    frame = district([f"P-{i:03d}" for i in range(30)])
    seen: list[str] = []
    after, step, deleted_ahead = None, 0, set()
    while True:
        page = paged.query(DISTRICT, limit=4, after_code=after, with_geometry=False)
        seen += [p.code for p in page.parcels]
        if len(page.parcels) < 4:
            break
        after, step = page.parcels[-1].code, step + 1
        # between pages (a re-import): parcels inserted behind the cursor, right after it and
        # far ahead; one parcel already seen and one not yet seen deleted
        inserted = district([f"O-{step:03d}", f"{after}a", f"Q-{step:03d}"], 100 + 3 * step)
        if f"P-{29 - step:03d}" > after:
            deleted_ahead.add(f"P-{29 - step:03d}")
        frame = pd.concat([frame, inserted], ignore_index=True)
        frame = frame[~frame["code"].isin([seen[step - 1], *deleted_ahead])]
        paged.replace_all(frame.reset_index(drop=True), keep_published=True)
        if step == 2:  # and one unpublished by an edit
            draft = paged.get("P-020")
            paged.update_parcel(draft.id, {"published": False}, draft.version, "ada", "form")
    assert len(seen) == len(set(seen))
    stayed = {f"P-{i:03d}" for i in range(30)} - deleted_ahead - {"P-020"}
    assert stayed <= set(seen)
    ahead = {code for code in frame["code"] if code[0] == "Q" or code.endswith("a")}
    assert ahead <= set(seen)  # inserted after the cursor: every one seen
    assert not {code for code in seen if code[0] == "O"}  # inserted behind it: none
    assert not (deleted_ahead | {"P-020"}) & set(seen)


def test_keyset_page_skips_offset_rows_after_the_code(paged):
    page = paged.query(DISTRICT, limit=2, offset=3, after_code="P-009", with_geometry=False)
    assert [p.code for p in page.parcels] == ["P-013", "P-014"]
    assert page.number_matched == 30


def test_keyset_pages_are_in_code_order_only(paged):
    with pytest.raises(ValueError, match="code order"):
        paged.query(DISTRICT, limit=2, after_code="P-001", sort="area")


@pytest.mark.parametrize("parcel_filter", FILTERS, ids=lambda f: str(f)[:40])
def test_offsets_from_kept_milestones_give_the_plain_pages(paged, monkeypatch, parcel_filter):
    monkeypatch.setattr(page_start, "MILESTONE_EVERY", 4)
    monkeypatch.setattr(page_start, "MILESTONE_FROM", 4)
    expected = all_codes(paged, parcel_filter)
    for offset in range(len(expected) + 2):
        page = paged.query(parcel_filter, limit=3, offset=offset, with_geometry=False)
        assert [p.code for p in page.parcels] == expected[offset:offset + 3], offset


def test_offsets_after_a_write_use_the_new_milestones(paged, monkeypatch):
    monkeypatch.setattr(page_start, "MILESTONE_EVERY", 4)
    monkeypatch.setattr(page_start, "MILESTONE_FROM", 4)
    assert [p.code for p in paged.query(DISTRICT, limit=1, offset=9).parcels] == ["P-009"]
    paged.upsert(district(["P-000a", "P-000b"], 200))
    assert [p.code for p in paged.query(DISTRICT, limit=1, offset=9).parcels] == ["P-007"]


def expected_count(store, parcel_filter: ParcelFilter) -> int:
    return sum(len(chunk) for chunk in store.iter_parcels(parcel_filter, with_geometry=False))


def assert_counts_right(store) -> None:
    for parcel_filter in FILTERS:
        page = store.query(parcel_filter, limit=1, with_geometry=False)
        assert page.number_matched == expected_count(store, parcel_filter), parcel_filter


def test_counts_are_right_after_an_edit(paged):
    assert_counts_right(paged)  # kept now
    parcel = paged.get("P-001")
    paged.update_parcel(parcel.id, {"status": "sold", "street": "金家庄街道"}, parcel.version,
                        "ada", "form")
    assert_counts_right(paged)
    parcel = paged.get("P-002")
    paged.update_parcel(parcel.id, {"published": False}, parcel.version, "ada", "form")
    assert_counts_right(paged)


def test_counts_are_right_after_an_upsert_and_a_reimport(paged):
    assert_counts_right(paged)
    paged.upsert(district(["P-100", "P-101", "P-102"], 300))
    assert_counts_right(paged)
    assert paged.query(DISTRICT, limit=1).number_matched == 33
    paged.replace_all(district([f"P-{i:03d}" for i in range(0, 30, 3)]))
    assert_counts_right(paged)
    assert paged.query(DISTRICT, limit=1).number_matched == 10


def test_unfiltered_count_is_kept_after_an_import(paged):
    calls: list[ParcelFilter] = []
    compute = paged.summaries.compute_matched
    paged.summaries.compute_matched = lambda f: calls.append(f) or compute(f)
    assert paged.query(DISTRICT, limit=1).number_matched == 30
    assert calls == []  # the import kept it (warm_summaries)
