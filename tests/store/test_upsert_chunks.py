"""An upsert runs chunk by chunk in one transaction; the result is that of one pass."""

import pandas as pd

from tests.store.conftest import prepared_small
from webapp.domain.filters import ParcelFilter
from webapp.store import upsert_plan


def test_upsert_in_chunks_of_one_row_gives_the_result_of_one_pass(store, monkeypatch):
    monkeypatch.setattr(upsert_plan, "UPSERT_CHUNK", 1)
    frame = prepared_small()
    frame.loc[frame["code"] == "T-002", "status"] = "sold"
    new = frame.iloc[[0]].copy()
    new["code"], new["name"] = "T-NEW", "新地块"
    again = new.copy()
    again["name"] = "新地块（改）"  # the same new code twice: the second row updates the first
    result = store.upsert(pd.concat([frame, new, again], ignore_index=True))
    assert (result.inserted, result.updated, result.unchanged) == (1, 2, 3)
    assert {(c.field, c.new) for c in result.changes} == {("status", "sold"),
                                                          ("name", "新地块（改）")}
    parcels = {p.code: p for p in store.query(ParcelFilter(include_drafts=True)).parcels}
    assert parcels["T-002"].status == "sold" and parcels["T-NEW"].name == "新地块（改）"
    assert parcels["T-NEW"].version == 2 and len(parcels) == len(frame) + 1
