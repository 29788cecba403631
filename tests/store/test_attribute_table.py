"""attribute_table: matching parcels' attributes as one frame, on both backends."""

import pytest

from webapp.domain.filters import ParcelFilter


def test_attribute_table(store):
    frame = store.attribute_table(ParcelFilter(), ["code", "land_use", "area_m2"], 10)
    assert sorted(frame.columns) == sorted(["id", "code", "land_use", "area_m2"])
    every = {p.id: p for p in store.query(ParcelFilter()).parcels}
    assert sorted(frame["id"]) == sorted(every)
    for row in frame.itertuples():
        assert every[row.id].code == row.code
        assert every[row.id].area_m2 == pytest.approx(row.area_m2)
    assert len(store.attribute_table(ParcelFilter(), ["code"], 2)) == 2
    with pytest.raises(ValueError):
        store.attribute_table(ParcelFilter(), ["code; DROP TABLE parcels"], 2)


def test_attribute_table_follows_the_filter(store):
    some = store.query(ParcelFilter()).parcels[0]
    chosen = ParcelFilter(land_uses=(some.land_use,))
    expected = {p.id for p in store.query(chosen).parcels}
    assert set(store.attribute_table(chosen, ["status"], 100)["id"]) == expected
    nothing = store.attribute_table(ParcelFilter(streets=("no such street",)), ["code"], 5)
    assert nothing.empty and list(nothing.columns) == ["id", "code"]
