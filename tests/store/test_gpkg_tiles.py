"""GeoPackage tiles from prepared band geometry, through the shared tile cache."""

import sqlite3
from contextlib import closing

import mapbox_vector_tile
import pytest
import shapely
from shapely import affinity

from tests.store.conftest import prepared_small
from tests.store.layout_version import record_layout_version
from webapp.domain.filters import ParcelFilter
from webapp.store import GeoPackageStore
from webapp.store.cache_keys import CacheLimits
from webapp.store.geopackage import tile_tables as gpkg_tiles
from webapp.store.geopackage.tile_tables import TILE_CACHE, TILE_GEOM, TILE_STATE
from webapp.store.interface import ParcelStore
from webapp.tiles.grid import tile_containing

FAR = (118.60, 31.80)  # about 14 km north-east of the test district


def features(data):
    layer = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})
    return {f["id"]: f for f in layer.get("parcels", {"features": []})["features"]}


def tile_at(store, code, z):
    centre = shapely.centroid(store.get(code, include_drafts=True).geometry)
    return tile_containing(centre.x, centre.y, z)


def fetch(store, tile, parcel_filter=None):
    return store.tile(tile.z, tile.x, tile.y, parcel_filter or ParcelFilter())


@pytest.mark.parametrize("z", [10, 12, 13, 14, 15, 16, 17])
@pytest.mark.parametrize("code", ["T-001", "T-002", "T-003", "T-004"])
def test_gpkg_tile_decodes_like_the_uncached_encoder(gpkg, code, z):
    tile = tile_at(gpkg, code, z)
    fast = features(fetch(gpkg, tile))
    plain = features(ParcelStore.tile(gpkg, tile.z, tile.x, tile.y, ParcelFilter()))
    assert {i: f["properties"] for i, f in fast.items()} == {
        i: f["properties"] for i, f in plain.items()}
    for i, feature in plain.items():
        expected = shapely.geometry.shape(feature["geometry"])
        got = shapely.geometry.shape(fast[i]["geometry"])
        assert got.symmetric_difference(expected).area <= 0.02 * expected.area + 64


@pytest.mark.parametrize("z", [13, 16])
def test_gpkg_tile_bytes_do_not_depend_on_row_order(gpkg, tmp_path, z):
    reversed_store = GeoPackageStore(tmp_path / "reversed.gpkg")
    reversed_store.replace_all(prepared_small())
    reversed_store.ensure_schema()
    reversed_store.replace_all(prepared_small().iloc[::-1])  # rows and R-tree in reverse order
    tile = tile_at(gpkg, "T-001", z)
    assert fetch(reversed_store, tile) == fetch(gpkg, tile)


def test_gpkg_tile_applies_the_filter_per_cache_entry(gpkg):
    tile = tile_at(gpkg, "T-001", 13)
    assert sorted(features(fetch(gpkg, tile))) == [1, 2, 3, 4]
    assert sorted(features(fetch(gpkg, tile, ParcelFilter(land_uses=("14",))))) == [4]
    assert gpkg.tiles.count() == 2


def test_gpkg_tile_cache_hit_returns_identical_bytes(gpkg):
    tile = tile_at(gpkg, "T-001", 16)
    first, second = fetch(gpkg, tile), fetch(gpkg, tile)
    assert second == first
    assert gpkg.tiles.stats == {"hits": 1, "misses": 1, "stored": 1}


def test_gpkg_tile_cache_is_shared_by_store_objects(gpkg):
    tile = tile_at(gpkg, "T-001", 16)
    first = fetch(gpkg, tile)
    other = GeoPackageStore(gpkg.path)  # as another server process would open it
    assert fetch(other, tile) == first
    assert other.tiles.stats == {"hits": 1, "misses": 0, "stored": 0}


def test_gpkg_tile_is_served_uncached_while_another_writer_holds_the_store(gpkg):
    tile = tile_at(gpkg, "T-001", 16)
    expected = features(ParcelStore.tile(gpkg, tile.z, tile.x, tile.y, ParcelFilter()))
    with closing(sqlite3.connect(gpkg.path, isolation_level=None)) as importer:
        importer.execute("BEGIN IMMEDIATE")  # as an import's write transaction does
        served = features(fetch(gpkg, tile))
        importer.execute("ROLLBACK")
    assert served.keys() == expected.keys()
    assert gpkg.tiles.count() == 0 and gpkg.tiles.stats["stored"] == 0


def test_gpkg_tile_of_a_text_search_is_not_kept(gpkg):
    tile = tile_at(gpkg, "T-001", 14)
    searched = features(fetch(gpkg, tile, ParcelFilter(text="物流")))
    assert sorted(searched) == [2]
    assert gpkg.tiles.count() == 0


def test_gpkg_tile_cache_trim_drops_filtered_views_first(gpkg):
    tiles = [tile_at(gpkg, "T-001", z) for z in (12, 13, 14, 15)]
    for tile in tiles:
        fetch(gpkg, tile)
        fetch(gpkg, tile, ParcelFilter(statuses=("sold",)))
    with closing(sqlite3.connect(gpkg.path)) as db, db:
        assert gpkg_tiles.trim_tile_cache(db, max_tiles=8) == 0
        assert gpkg_tiles.trim_tile_cache(db, max_tiles=5) == 4  # the filtered ones
        assert gpkg_tiles.trim_tile_cache(db, max_tiles=3) == 4  # then every tile
    assert gpkg.tiles.count() == 0


def test_gpkg_tile_cache_is_trimmed_as_it_grows(gpkg):
    gpkg.cache_limits = CacheLimits(tile_rows=3)
    for z in (12, 13, 14, 15, 16, 17):
        fetch(gpkg, tile_at(gpkg, "T-001", z), ParcelFilter(statuses=("sold",)))
    assert gpkg.tiles.count() <= 3


def cache_near_and_far(store):
    near = [tile_at(store, "T-001", z) for z in (12, 14, 16)]
    far = tile_containing(*FAR, 16)
    for tile in (*near, far):
        fetch(store, tile)
    return near, far


def cached(store, tile):
    with closing(sqlite3.connect(store.path)) as db:
        return db.execute(f"SELECT COUNT(*) FROM {TILE_CACHE} WHERE z = ? AND x = ? AND y = ?",
                          (tile.z, tile.x, tile.y)).fetchone()[0] > 0


def test_gpkg_tile_edit_drops_the_tiles_showing_the_parcel_and_keeps_far_ones(gpkg):
    near, _far = cache_near_and_far(gpkg)
    other = tile_at(gpkg, "T-004", 16)  # (the far tile is empty: empty tiles are not cached)
    fetch(gpkg, other)
    gpkg.update_parcel(1, {"status": "sold"}, None, "ada", "form")
    assert [cached(gpkg, tile) for tile in near] == [False, False, False]
    assert cached(gpkg, other)


def test_gpkg_tile_edit_is_visible_in_the_next_tile(gpkg):
    tile = tile_at(gpkg, "T-001", 16)
    assert features(fetch(gpkg, tile))[1]["properties"]["status"] == "available"
    gpkg.update_parcel(1, {"status": "sold"}, None, "ada", "form")
    assert features(fetch(gpkg, tile))[1]["properties"]["status"] == "sold"


def test_gpkg_tile_upsert_moving_a_parcel_drops_its_old_and_new_tiles(gpkg):
    near, far = cache_near_and_far(gpkg)
    other = tile_at(gpkg, "T-004", 16)
    fetch(gpkg, other)
    frame = prepared_small().iloc[[0]].copy()
    centre = shapely.centroid(frame.geometry.iloc[0])
    frame["geometry"] = [affinity.translate(frame.geometry.iloc[0], FAR[0] - centre.x,
                                            FAR[1] - centre.y)]
    gpkg.upsert(frame)
    assert [cached(gpkg, tile) for tile in (*near, far)] == [False] * 4
    assert cached(gpkg, other)
    assert 1 in features(fetch(gpkg, far))
    assert 1 not in features(fetch(gpkg, near[-1]))


def test_gpkg_tile_upsert_inserting_a_parcel_shows_it(gpkg):
    tile = tile_at(gpkg, "T-001", 16)
    fetch(gpkg, tile)
    frame = prepared_small().iloc[[0]].copy()
    frame["code"] = "T-NEW"
    frame["geometry"] = [affinity.translate(frame.geometry.iloc[0], 0.0001, 0.0001)]
    gpkg.upsert(frame)
    codes = {f["properties"]["code"] for f in features(fetch(gpkg, tile)).values()}
    assert {"T-001", "T-NEW"} <= codes


def test_gpkg_tile_replace_all_empties_the_cache(gpkg):
    cache_near_and_far(gpkg)
    gpkg.replace_all(prepared_small().iloc[1:])
    assert gpkg.tiles.count() == 0
    assert 1 not in features(fetch(gpkg, tile_at(gpkg, "T-002", 16)))


def test_gpkg_tile_store_from_before_tile_tables_is_upgraded_by_ensure_schema(gpkg):
    tile = tile_at(gpkg, "T-001", 16)
    expected = features(fetch(gpkg, tile))
    with closing(sqlite3.connect(gpkg.path)) as db, db:
        for table in (TILE_GEOM, TILE_CACHE, TILE_STATE):
            db.execute(f"DROP TABLE {table}")
    assert features(fetch(gpkg, tile)).keys() == expected.keys()  # the plain encoder
    record_layout_version(gpkg, 1)
    gpkg.ensure_schema()
    assert features(fetch(gpkg, tile)).keys() == expected.keys()
    assert gpkg.tiles.count() == 1


def test_gpkg_tile_large_upsert_drops_the_whole_cache(gpkg, monkeypatch):
    monkeypatch.setattr(gpkg_tiles, "EXACT_DROP_LIMIT", 1)
    cache_near_and_far(gpkg)
    frame = prepared_small().iloc[[1, 3]].copy()
    frame["status"] = "sold"
    gpkg.upsert(frame)
    assert gpkg.tiles.count() == 0
