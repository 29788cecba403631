"""What every ParcelStore backend must do (run once per backend)."""

import pytest
import shapely

from tests.store.conftest import prepared_small
from webapp.domain.filters import ParcelFilter
from webapp.domain.units import M2_PER_MU


def codes(page):
    return [p.code for p in page.parcels]


def test_store_empty_does_not_exist(empty_store):
    assert not empty_store.exists()


def test_store_loaded_exists_and_counts(store):
    assert store.exists() and store.count() == 4


def test_store_query_all_ordered_by_code(store):
    page = store.query(ParcelFilter())
    assert codes(page) == ["T-001", "T-002", "T-003", "T-004"]
    assert page.number_matched == 4


def test_store_query_pages_keep_total_count(store):
    page = store.query(ParcelFilter(), limit=2, offset=1)
    assert (codes(page), page.number_matched) == (["T-002", "T-003"], 4)


def test_store_query_total_area_is_sum_of_matches(store):
    page = store.query(ParcelFilter(statuses=("available", "negotiating")))
    assert page.total_area_m2 == pytest.approx(30000, rel=1e-3)


@pytest.mark.parametrize(("parcel_filter", "expected"), [
    (ParcelFilter(land_uses=("1001",)), ["T-001"]),            # parent code matches 100101
    (ParcelFilter(land_uses=("100101", "1401")), ["T-001", "T-004"]),
    (ParcelFilter(streets=("塘西街道",)), ["T-002", "T-004"]),
    (ParcelFilter(statuses=("sold",)), ["T-003"]),
    (ParcelFilter(area_min_mu=14.9, area_max_mu=30.1), ["T-001", "T-002"]),
    (ParcelFilter(text="物流"), ["T-002"]),
    (ParcelFilter(text="100%"), ["T-003"]),                     # % is literal, not a wildcard
    (ParcelFilter(text="_"), []),                               # so is _
    (ParcelFilter(text="t-00"), ["T-001", "T-002", "T-003", "T-004"]),
    (ParcelFilter(bbox=(118.49, 31.69, 118.502, 31.702)), ["T-001"]),
    (ParcelFilter(bbox=(100, 20, 101, 21)), []),
])
def test_store_query_filters(store, parcel_filter, expected):
    assert codes(store.query(parcel_filter)) == expected


@pytest.mark.parametrize("land_uses", [("10", "1001", "100101", "14"), ("1401", "14", "0901")])
def test_store_counts_a_parcel_once_when_a_parent_and_its_subclass_are_both_chosen(store,
                                                                                  land_uses):
    page = store.query(ParcelFilter(land_uses=land_uses), limit=1)
    expected = [p for p in store.query(ParcelFilter()).parcels
                if any(p.land_use.startswith(code) for code in land_uses)]
    assert page.number_matched == len(expected)
    assert page.total_area_m2 == pytest.approx(sum(p.area_m2 for p in expected))


def test_store_get_by_id_and_code_agree(store):
    by_code = store.get("T-002")
    assert store.get(by_code.id).code == "T-002"


def test_store_get_returns_full_record(store):
    parcel = store.get("T-001")
    assert (parcel.street, parcel.far_min, parcel.far_max, parcel.version) == (
        "金家庄街道", 1.2, None, 1)
    assert parcel.geometry.geom_type == "MultiPolygon"
    assert parcel.area_mu == pytest.approx(15, rel=1e-3)


def test_store_get_unknown_returns_none(store):
    assert store.get("nope") is None and store.get(999) is None


def test_store_query_without_geometry_skips_it(store):
    assert store.query(ParcelFilter(), with_geometry=False).parcels[0].geometry is None


def test_store_bounds_cover_all_parcels(store):
    minx, miny, maxx, maxy = store.bounds()
    assert 118.49 < minx < maxx < 118.52 and 31.69 < miny < maxy < 31.72


def test_store_bounds_of_empty_selection_is_none(store):
    assert store.bounds(ParcelFilter(statuses=("sold",), streets=("塘西街道",))) is None


def test_store_breakdown_sums_to_total_area(store):
    shares = store.landuse_breakdown()
    assert sum(s.count for s in shares) == 4
    total = store.query(ParcelFilter()).total_area_m2
    assert sum(s.area_m2 for s in shares) == pytest.approx(total)
    assert shares[0].land_use == "1401"  # largest area first: 300 m × 300 m


def test_store_breakdown_respects_filter(store):
    shares = store.landuse_breakdown(ParcelFilter(streets=("金家庄街道",)))
    assert {s.land_use for s in shares} == {"100101", "0901"}


def test_store_streets_are_distinct_and_sorted(store):
    assert store.streets() == sorted({"金家庄街道", "塘西街道"})


def test_store_streets_leave_out_streets_of_drafts_only_and_blank_streets(store):
    frame = prepared_small()
    frame.loc[frame["code"].isin(["T-001", "T-003"]), "published"] = False  # all of 金家庄街道
    frame.loc[frame["code"] == "T-002", "street"] = None
    frame.loc[frame["code"] == "T-004", "street"] = "采石街道"
    store.replace_all(frame)
    assert store.streets() == ["采石街道"]


def test_store_replace_all_swaps_every_parcel(store):
    smaller = prepared_small().iloc[:2]
    assert store.replace_all(smaller) == 2
    assert codes(store.query(ParcelFilter())) == ["T-001", "T-002"]


def test_store_drafts_hidden_unless_asked(store):
    frame = prepared_small()
    frame.loc[frame["code"] == "T-001", "published"] = False
    store.replace_all(frame)
    assert "T-001" not in codes(store.query(ParcelFilter()))
    assert "T-001" in codes(store.query(ParcelFilter(include_drafts=True)))
    assert store.get("T-001") is None and store.get("T-001", include_drafts=True)
    assert store.count() == 4 and store.count(include_drafts=False) == 3


def test_store_area_is_in_square_metres(store):
    assert store.get("T-004").area_m2 == pytest.approx(90000, rel=1e-3)
    assert store.get("T-004").area_mu == pytest.approx(90000 / M2_PER_MU, rel=1e-3)


# iter_parcels / parcels_after: exports read the matching parcels a keyset chunk at a time.

def chunked_codes(chunks) -> list[str]:
    return [p.code for chunk in chunks for p in chunk]


@pytest.mark.parametrize("chunk_size", [1, 3, 4, 5])
def test_store_iter_parcels_reads_every_match_once_in_id_order(store, chunk_size):
    chunks = list(store.iter_parcels(ParcelFilter(), chunk_size=chunk_size))
    assert all(1 <= len(chunk) <= chunk_size for chunk in chunks)
    ids = [p.id for chunk in chunks for p in chunk]
    assert ids == sorted(set(ids))
    assert sorted(chunked_codes(chunks)) == ["T-001", "T-002", "T-003", "T-004"]


@pytest.mark.parametrize("parcel_filter", [
    ParcelFilter(land_uses=("100101", "1401")),
    ParcelFilter(streets=("塘西街道",)),
    ParcelFilter(statuses=("available", "negotiating")),
    ParcelFilter(area_min_mu=14.9, area_max_mu=30.1),
    ParcelFilter(text="t-00"),
    ParcelFilter(bbox=(118.49, 31.69, 118.502, 31.702)),
    ParcelFilter(bbox=(100, 20, 101, 21)),
    ParcelFilter(bbox=(100, 20, 130, 40)),
    ParcelFilter(bbox=(100, 20, 130, 40), statuses=("available", "sold")),
])
@pytest.mark.parametrize("chunk_size", [1, 3])
def test_store_iter_parcels_selects_what_query_selects(store, parcel_filter, chunk_size):
    chunks = list(store.iter_parcels(parcel_filter, chunk_size=chunk_size))
    assert all(1 <= len(chunk) <= chunk_size for chunk in chunks)
    assert sorted(chunked_codes(chunks)) == codes(store.query(parcel_filter))


def test_store_iter_parcels_leaves_out_drafts_unless_asked(store):
    draft = store.get("T-002")
    store.update_parcel(draft.id, {"published": False}, None, "test", "test")
    assert "T-002" not in chunked_codes(store.iter_parcels(ParcelFilter(), chunk_size=2))
    every = store.iter_parcels(ParcelFilter(include_drafts=True), chunk_size=2)
    assert "T-002" in chunked_codes(every)


@pytest.mark.parametrize("with_geometry", [True, False])
def test_store_iter_parcels_reads_geometry_only_when_asked(store, with_geometry):
    parcels = [p for chunk in store.iter_parcels(ParcelFilter(), 2, with_geometry) for p in chunk]
    assert all((p.geometry is not None) is with_geometry for p in parcels)
    assert parcels[0].area_m2 == store.get(parcels[0].id).area_m2


def test_store_parcels_after_starts_after_the_given_id(store):
    ids = sorted(p.id for p in store.query(ParcelFilter()).parcels)
    after = store.parcels_after(ParcelFilter(), ids[1], limit=1)
    assert [p.id for p in after] == [ids[2]]
    assert store.parcels_after(ParcelFilter(), ids[-1], limit=10) == []


def test_store_iter_parcels_refuses_an_empty_chunk(store):
    with pytest.raises(ValueError, match="chunk_size"):
        next(store.iter_parcels(ParcelFilter(), chunk_size=0))


# T-004 made an L: its envelope keeps the top-right corner, its geometry does not.
L_SHAPE = ("MULTIPOLYGON (((118.5104 31.7092, 118.5135 31.7092, 118.5135 31.7100, "
           "118.5115 31.7100, 118.5115 31.7118, 118.5104 31.7118, 118.5104 31.7092)))")
IN_THE_NOTCH = (118.5125, 31.7110, 118.5130, 31.7115)  # inside the envelope, outside the L
ON_THE_L = (118.5125, 31.7095, 118.5130, 31.7115)      # crosses the L's lower arm


@pytest.fixture
def l_store(empty_store):
    """The test district with T-004 an L-shaped parcel."""
    parcels = prepared_small()
    parcels.loc[parcels["code"] == "T-004", "geometry"] = shapely.from_wkt(L_SHAPE)
    empty_store.replace_all(parcels)
    return empty_store


@pytest.mark.parametrize(("bbox", "expected"), [(IN_THE_NOTCH, []), (ON_THE_L, ["T-004"])])
def test_store_bbox_tests_the_geometry_not_its_envelope(l_store, bbox, expected):
    page = l_store.query(ParcelFilter(bbox=bbox))
    assert (codes(page), page.number_matched) == (expected, len(expected))


def test_store_bbox_outside_the_geometry_has_no_bounds_or_land_uses(l_store):
    parcel_filter = ParcelFilter(bbox=IN_THE_NOTCH)
    assert l_store.bounds(parcel_filter) is None
    assert l_store.landuse_breakdown(parcel_filter) == []
