"""The parcel list's sort orders (webapp.domain.parcel_order) give the same rows on every
backend: availability first by default, empty values last, code and id breaking ties."""

import pytest

from tests.store.conftest import prepared_small
from webapp.domain.filters import ParcelFilter
from webapp.domain.parcel import STATUSES
from webapp.domain.parcel_order import SORTS
from webapp.store.sql_order import ORDER_SQL, STATUS_RANK
from webapp.store.tables import PARCELS

PRICES = {"T-001": 300.0, "T-002": None, "T-003": 120.5, "T-004": 800.0}
UPDATED = {"T-001": "2026-03-01T00:00:00Z", "T-002": "2026-01-01T00:00:00Z",
           "T-003": "2026-02-01T00:00:00Z", "T-004": None}


def expected_codes(parcels, sort: str) -> list[str]:
    """The codes in a sort order, computed in Python from the rows."""
    def last_if_none(value, descending):
        if value is None:
            return (1, 0)
        return (0, -value if descending else value)

    keys = {
        "status": lambda p: (STATUS_RANK.index(p.status), p.code),
        "code": lambda p: p.code,
        "area": lambda p: (p.area_m2, p.code),
        "-area": lambda p: (-p.area_m2, p.code),
        "price": lambda p: (last_if_none(PRICES[p.code], False), p.code),
        "-price": lambda p: (last_if_none(PRICES[p.code], True), p.code),
        "updated": lambda p: (UPDATED[p.code] is None, UPDATED[p.code] or "", p.code),
        "-updated": lambda p: (UPDATED[p.code] is None,
                               [-ord(c) for c in UPDATED[p.code] or ""], p.code),
    }
    return [p.code for p in sorted(parcels, key=keys[sort])]


@pytest.fixture
def priced_store(empty_store):
    """The four test parcels with starting prices and update times, one of each missing."""
    frame = prepared_small()
    frame["price_start_wan"] = frame["code"].map(PRICES)
    empty_store.replace_all(frame)
    for parcel in empty_store.query(ParcelFilter(), limit=None).parcels:
        stamp = UPDATED[parcel.code]
        set_updated(empty_store, parcel.id, stamp)
    return empty_store


def set_updated(store, parcel_id: int, stamp: str | None) -> None:
    """Set a parcel's updated_at directly in the backend's table (no interface writes it)."""
    if hasattr(store.database, "write_transaction"):  # GeoPackage
        with store.database.write_transaction() as db:
            db.execute(f"UPDATE {PARCELS} SET updated_at = ? WHERE fid = ?", [stamp, parcel_id])
    else:
        with store.database.transaction() as conn:
            conn.execute(f"UPDATE {store.parcels} SET updated_at = %s WHERE id = %s",
                         [stamp, parcel_id])


def test_status_rank_names_every_status():
    assert sorted(STATUS_RANK) == sorted(STATUSES)
    assert set(ORDER_SQL) == set(SORTS)


@pytest.mark.parametrize("sort", SORTS)
def test_query_sorts_rows(priced_store, sort):
    page = priced_store.query(ParcelFilter(), limit=None, with_geometry=False, sort=sort)
    assert [p.code for p in page.parcels] == expected_codes(page.parcels, sort)


def test_query_default_order_is_by_code(store):
    codes = [p.code for p in store.query(ParcelFilter(), limit=None).parcels]
    assert codes == sorted(codes)


def test_query_status_order_puts_available_first_and_pages(store):
    first = store.query(ParcelFilter(), limit=2, sort="status").parcels
    rest = store.query(ParcelFilter(), limit=2, offset=2, sort="status").parcels
    assert [p.status for p in first + rest] == ["available", "negotiating", "reserve", "sold"]
