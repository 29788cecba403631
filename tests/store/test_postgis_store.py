"""PostGIS specifics: schema and indexes, atomic replacement, row locks, ST_AsMVT tiles."""

import re
import time
from concurrent.futures import ThreadPoolExecutor

import mapbox_vector_tile
import psycopg
import pytest
import shapely
from shapely.geometry import shape

from tests.conftest import SAMPLE
from tests.store.conftest import prepared_small
from tests.store.postgis_fixtures import postgis_store, postgis_url
from webapp.domain.audit import ChangeFilter
from webapp.domain.errors import ConfigError, ConflictError, DataFileError
from webapp.domain.filters import ParcelFilter
from webapp.domain.landuse import load_landuse_table
from webapp.importing.pipeline import plan_strict_import
from webapp.store import GeoPackageStore, ParcelStore
from webapp.store.postgis import edits as postgis_edits
from webapp.store.postgis import store as postgis
from webapp.tiles.grid import tile_containing


@pytest.fixture(scope="module")
def sample_frame():
    """The bundled 360-parcel sample district, prepared for the store."""
    return plan_strict_import(SAMPLE, load_landuse_table()).parcels


@pytest.fixture(scope="module")
def sample_pg(sample_frame):
    """A PostGIS store holding the sample district (read-only tests share it)."""
    with postgis_store() as store:
        store.replace_all(sample_frame)
        yield store


def _scalar(store, sql):
    with store.database.transaction() as conn:
        return conn.execute(sql, (store.location.schema,)).fetchone()[0]


def test_postgis_parcel_geometry_column_is_lonlat_multipolygon(pg):
    sql = ("SELECT type || ':' || srid FROM geometry_columns WHERE f_table_schema = %s "
           "AND f_table_name = 'parcels' AND f_geometry_column = 'geom'")
    assert _scalar(pg, sql) == "MULTIPOLYGON:4326"


def test_postgis_has_spatial_and_attribute_indexes(pg):
    with pg.database.transaction() as conn:
        names = {row[0] for row in conn.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = %s", (pg.location.schema,))}
    assert {"parcels_geom_gist", "parcels_geom_3857_gist", "parcels_code_idx",
            "parcels_land_use_idx",
            "parcels_street_idx", "parcels_status_idx", "parcels_area_m2_idx"} <= names


def test_postgis_ensure_schema_twice_keeps_data(pg):
    pg.staff.add_user("ada", "admin", "hash")
    pg.ensure_schema()
    assert pg.count() == 4 and [u.name for u in pg.staff.users()] == ["ada"]


def test_postgis_failed_replace_keeps_every_old_parcel(pg, monkeypatch):
    before = [(p.code, p.version) for p in pg.query(ParcelFilter()).parcels]

    def fail(conn, table, expected):
        raise DataFileError("simulated failure after writing")

    monkeypatch.setattr(postgis, "check_parcel_count", fail)
    frame = prepared_small().iloc[:1].copy()
    frame["status"] = "sold"
    with pytest.raises(DataFileError):
        pg.replace_all(frame)
    assert [(p.code, p.version) for p in pg.query(ParcelFilter()).parcels] == before
    assert pg.changes(ChangeFilter()).number_matched == 0


def test_postgis_readers_see_old_parcels_until_replace_commits(pg, monkeypatch):
    seen = []
    check = postgis.check_parcel_count

    def check_then_read(conn, table, expected):
        check(conn, table, expected)
        seen.append(pg.count())  # another pooled connection, outside the writing transaction

    monkeypatch.setattr(postgis, "check_parcel_count", check_then_read)
    pg.replace_all(prepared_small().iloc[:2])
    assert (seen, pg.count()) == ([4], 2)


def test_postgis_concurrent_stale_edits_let_exactly_one_win(pg):
    parcel = pg.get("T-001")

    def edit(n):
        try:
            return pg.update_parcel(parcel.id, {"note": f"edit {n}"}, 1, "eddie", "form")
        except ConflictError as error:
            return error

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(edit, range(4)))
    conflicts = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(conflicts) == 3 and all(c.current.version == 2 for c in conflicts)
    assert pg.get("T-001").version == 2
    assert pg.changes(ChangeFilter(field="note")).number_matched == 1


def test_postgis_concurrent_login_attempts_respect_the_limit(pg):
    def reserve(n):
        return pg.staff.reserve_login_attempt({"account:ada": 3}, 900, 1000.0 + n).token

    with ThreadPoolExecutor(max_workers=6) as pool:
        tokens = list(pool.map(reserve, range(12)))
    assert sum(token is not None for token in tokens) == 3


def test_postgis_upsert_reports_what_the_geopackage_store_reports(pg, tmp_path):
    gpkg = GeoPackageStore(tmp_path / "parcels.gpkg")
    gpkg.replace_all(prepared_small())
    frame = prepared_small().iloc[[0, 1]].copy()
    frame["deposit_wan"] = [123.0, None]
    frame.loc[frame.index[1], "code"] = "T-NEW"
    frame["extra"] = [{"b": 1, "a": "x"}, {}]
    assert pg.upsert(frame) == gpkg.upsert(frame)
    assert pg.get("T-001").extra == {"a": "x", "b": 1} and pg.get("T-NEW").id == 5


def test_postgis_store_opens_no_connection_until_used():
    store = postgis.PostGISStore("postgresql://nobody@127.0.0.1:1/none?schema=s",
                                 connect_timeout_s=1)
    assert store.database._pool is None
    with pytest.raises(ConfigError, match=re.escape("cannot connect to postgresql://nobody@127.0.0.1:1")):
        store.count()


def test_postgis_close_ends_the_pool_and_the_next_call_reopens_it(pg):
    pg.close()
    assert pg.database._pool is None and pg.count() == 4


def _features(data):
    layer = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})
    return {f["id"]: f for f in layer.get("parcels", {"features": []})["features"]}


@pytest.mark.parametrize("z", [12, 14, 16])
def test_postgis_native_tile_matches_python_encoder(sample_pg, z):
    minx, miny, maxx, maxy = sample_pg.bounds()
    tile = tile_containing((minx + maxx) / 2, (miny + maxy) / 2, z)
    native = _features(sample_pg.tile(tile.z, tile.x, tile.y, ParcelFilter()))
    encoded = _features(ParcelStore.tile(sample_pg, tile.z, tile.x, tile.y, ParcelFilter()))
    assert native and sorted(native) == sorted(encoded)
    for fid, feature in native.items():
        assert feature["properties"] == pytest.approx(encoded[fid]["properties"])
        ours, theirs = shape(feature["geometry"]), shape(encoded[fid]["geometry"])
        assert shapely.symmetric_difference(ours, theirs).area <= 0.05 * theirs.area + 50


def test_postgis_native_tile_applies_the_filter(sample_pg):
    minx, miny, maxx, maxy = sample_pg.bounds()
    tile = tile_containing((minx + maxx) / 2, (miny + maxy) / 2, 12)
    industrial = _features(sample_pg.tile(tile.z, tile.x, tile.y,
                                          ParcelFilter(land_uses=("10",))))
    assert industrial and all(f["properties"]["land_use"].startswith("10")
                              for f in industrial.values())


PREPARE_AFTER = 8  # more calls than psycopg's prepare_threshold (5)


def _prepared_statements(store) -> list[str]:
    with store.database.autocommit() as conn:  # this thread's reading connection, which tiles use
        return [row[0] for row in conn.execute("SELECT statement FROM pg_prepared_statements")]


def test_postgis_native_tile_is_unchanged_once_its_plan_is_cached(sample_pg):
    minx, miny, maxx, maxy = sample_pg.bounds()
    tiles = [tile_containing(minx + (maxx - minx) * f, miny + (maxy - miny) * f, 14)
             for f in (0.3, 0.5, 0.7)]
    first = [sample_pg.tile(t.z, t.x, t.y, ParcelFilter()) for t in tiles]
    for _ in range(PREPARE_AFTER):
        assert [sample_pg.tile(t.z, t.x, t.y, ParcelFilter()) for t in tiles] == first
    assert any("ST_AsMVT" in sql for sql in _prepared_statements(sample_pg))


def test_postgis_filtered_tile_is_planned_with_its_filter_values(sample_pg):
    minx, miny, maxx, maxy = sample_pg.bounds()
    tile = tile_containing((minx + maxx) / 2, (miny + maxy) / 2, 14)
    for code in ["10", "07", "1001", "14"] * 2:
        sample_pg.tile(tile.z, tile.x, tile.y, ParcelFilter(land_uses=(code,)))
    assert not [sql for sql in _prepared_statements(sample_pg) if "land_use BETWEEN" in sql]


def _someone_waits_for_a_lock(store) -> bool:
    with store.database.transaction() as conn:
        return conn.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE NOT granted)"
                            ).fetchone()[0]


def test_postgis_import_during_an_edit_waits_instead_of_deadlocking(pg, monkeypatch):
    write = postgis_edits._write_update
    importing, imports = ThreadPoolExecutor(max_workers=1), []

    def import_then_write(conn, table, updated, diff):
        started = importing.submit(pg.replace_all, prepared_small())
        imports.append(started)
        deadline = time.monotonic() + 10
        while not _someone_waits_for_a_lock(pg) and not started.done():
            assert time.monotonic() < deadline, "the import neither waited nor finished"
        write(conn, table, updated, diff)

    monkeypatch.setattr(postgis_edits, "_write_update", import_then_write)
    with importing:
        saved = pg.update_parcel(pg.get("T-001").id, {"note": "during import"}, 1, "eddie", "form")
    assert imports[0].result() == 4  # not a deadlock victim
    assert saved.version == 2 and pg.get("T-001").note is None  # the import came second
    assert pg.get("T-001").version == 3


def test_postgis_lost_connections_are_a_store_unavailable_error_once_each(pg):
    from webapp.domain.errors import StoreUnavailableError

    with pg.database.autocommit() as conn:  # this thread's reading connection
        reader = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    with pg.database.transaction() as conn:  # the pooled one
        pooled = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        conn.execute("SELECT pg_terminate_backend(%s)", (reader,))
    with psycopg.connect(postgis_url(), autocommit=True) as killer:
        killer.execute("SELECT pg_terminate_backend(%s)", (pooled,))
    errors = 0
    for _ in range(3):  # each broken connection fails one read, then is replaced
        try:
            pg.query(ParcelFilter(), limit=1, offset=1)
        except StoreUnavailableError:
            errors += 1
    assert 1 <= errors <= 2
    assert pg.query(ParcelFilter(), limit=1, offset=1).number_matched == 4
