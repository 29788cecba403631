"""The GeoPackage tile cache stays within its bounds in rows and bytes, whatever anonymous
filters ask for, and never keeps a filter naming a street no parcel has (issue 14, section 5;
the summary caches of both backends: test_summary_contract.py)."""

import sqlite3
from contextlib import closing

import mapbox_vector_tile
import shapely

from tests.store.layout_version import record_layout_version
from webapp.domain.filters import ParcelFilter
from webapp.store.cache_keys import CacheLimits, filter_key
from webapp.store.geopackage.cache_bounds import TOTALS
from webapp.store.geopackage.tile_tables import TILE_CACHE
from webapp.tiles.grid import tile_containing

UNKNOWN_STREET = "不存在的街道"
FAR = (118.60, 31.80)  # about 14 km north-east of the test district: an empty tile


def tile_at(store, code, z):
    centre = shapely.centroid(store.get(code, include_drafts=True).geometry)
    return tile_containing(centre.x, centre.y, z)


def fetch(store, tile, parcel_filter=None):
    return store.tile(tile.z, tile.x, tile.y, parcel_filter or ParcelFilter())


def feature_count(data: bytes) -> int:
    return len(mapbox_vector_tile.decode(data).get("parcels", {"features": []})["features"])


def tile_cache_size(store) -> tuple[int, int]:
    """(rows, bytes) of the GeoPackage tile cache, counted from the rows themselves."""
    with closing(sqlite3.connect(store.path)) as db:
        return db.execute(f"SELECT COUNT(*), COALESCE(SUM(length(data)), 0) "
                          f"FROM {TILE_CACHE}").fetchone()


def area_filters(count: int) -> list[ParcelFilter]:
    """Distinct filters an anonymous client can invent at will (every parcel matches each)."""
    return [ParcelFilter(area_min_mu=n / 1000) for n in range(count)]


def test_tile_cache_stays_within_its_row_bound(gpkg):
    gpkg.cache_limits = CacheLimits(tile_rows=6)
    tile = tile_at(gpkg, "T-001", 15)
    sizes = [tile_cache_size(gpkg)[0] for f in area_filters(40) if fetch(gpkg, tile, f)]
    assert len(sizes) == 40 and max(sizes) <= 6 and sizes[-1] > 0


def test_tile_cache_stays_within_its_byte_bound(gpkg):
    tile = tile_at(gpkg, "T-001", 15)
    one_tile_bytes = len(fetch(gpkg, tile))
    gpkg.cache_limits = CacheLimits(tile_bytes=3 * one_tile_bytes + 10)
    sizes = [tile_cache_size(gpkg)[1] for f in area_filters(40) if fetch(gpkg, tile, f)]
    assert max(sizes) <= 3 * one_tile_bytes + 10 and sizes[-1] > 0


def test_tile_cache_keeps_the_district_view_when_filtered_views_fill_it(gpkg):
    gpkg.cache_limits = CacheLimits(tile_rows=4)
    tile = tile_at(gpkg, "T-001", 15)
    fetch(gpkg, tile)
    for parcel_filter in area_filters(20):
        fetch(gpkg, tile, parcel_filter)
    with closing(sqlite3.connect(gpkg.path)) as db:
        keys = [r[0] for r in db.execute(f"SELECT filter_key FROM {TILE_CACHE}")]
    assert filter_key(ParcelFilter()) in keys


def test_tile_cache_totals_match_the_rows_after_edits_and_drops(gpkg):
    for z in (12, 14, 16):
        fetch(gpkg, tile_at(gpkg, "T-001", z))
        fetch(gpkg, tile_at(gpkg, "T-001", z), ParcelFilter(statuses=("sold",)))
    gpkg.update_parcel(1, {"status": "sold"}, None, "ada", "form")
    fetch(gpkg, tile_at(gpkg, "T-002", 16))
    with closing(sqlite3.connect(gpkg.path)) as db:
        totals = db.execute(f"SELECT tiles, bytes FROM {TOTALS}").fetchone()
    assert totals == tile_cache_size(gpkg)


def test_tile_cache_totals_are_added_to_an_older_store(gpkg):
    fetch(gpkg, tile_at(gpkg, "T-001", 14))
    with closing(sqlite3.connect(gpkg.path)) as db, db:
        for trigger in ("added", "dropped", "replaced"):
            db.execute(f"DROP TRIGGER {TILE_CACHE}_{trigger}")
        db.execute(f"DROP TABLE {TOTALS}")
    record_layout_version(gpkg, 1)  # as a store of the release before the totals
    gpkg.ensure_schema()
    with closing(sqlite3.connect(gpkg.path)) as db:
        assert db.execute(f"SELECT tiles, bytes FROM {TOTALS}").fetchone() == \
            tile_cache_size(gpkg)


def test_tile_of_an_unknown_street_is_answered_but_not_cached(gpkg):
    tile = tile_at(gpkg, "T-001", 15)
    assert feature_count(fetch(gpkg, tile, ParcelFilter(streets=(UNKNOWN_STREET,)))) == 0
    mixed = fetch(gpkg, tile, ParcelFilter(streets=("金家庄街道", UNKNOWN_STREET)))
    assert feature_count(mixed) > 0 and gpkg.tiles.count() == 0


def test_tile_of_a_known_street_is_cached(gpkg):
    fetch(gpkg, tile_at(gpkg, "T-001", 15), ParcelFilter(streets=("金家庄街道",)))
    assert gpkg.tiles.count() == 1


def test_empty_tile_is_not_cached(gpkg):
    assert feature_count(fetch(gpkg, tile_containing(*FAR, 16))) == 0
    assert gpkg.tiles.count() == 0
