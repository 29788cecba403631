"""PostGIS tiles: the stored Web Mercator copy they read (kept in step, migrated, indexed), the
pooled connections they run on, and what they hold."""

import mapbox_vector_tile
import pytest
import shapely

from tests.store.conftest import prepared_small
from tests.store.layout_version import record_layout_version
from tests.store.postgis_fixtures import postgis_store
from webapp.domain.filters import ParcelFilter
from webapp.store.postgis import store as postgis
from webapp.tiles.grid import tile_containing

MOVE_DEG = 0.05  # far enough that the moved parcel lands in another z13 tile


def _stale_copies(store) -> int:
    """Parcels whose Mercator copy is missing or is not their geometry in EPSG:3857."""
    sql = (f"SELECT COUNT(*) FROM {store.parcels} WHERE geom_3857 IS NULL "
           "OR NOT ST_Equals(geom_3857, ST_Transform(geom, 3857)) "
           "OR ST_SRID(geom_3857) <> 3857")
    with store.database.transaction() as conn:
        return conn.execute(sql).fetchone()[0]


def _codes_in_tile(store, lon: float, lat: float, z: int = 13) -> list[str]:
    tile = tile_containing(lon, lat, z)
    layer = mapbox_vector_tile.decode(store.tile(tile.z, tile.x, tile.y, ParcelFilter()))
    return sorted(f["properties"]["code"] for f in layer.get("parcels", {"features": []})
                  ["features"])


def _moved(frame, codes):
    moved = frame[frame["code"].isin(codes)].copy()
    moved["geometry"] = moved.geometry.translate(xoff=MOVE_DEG)
    return moved


def test_postgis_mercator_copy_is_each_parcels_geometry_in_3857(pg):
    assert pg.count() == 4 and _stale_copies(pg) == 0


def test_postgis_mercator_copy_follows_an_upsert_that_moves_a_parcel(pg):
    before = shapely.centroid(pg.get("T-001").geometry)
    pg.upsert(_moved(prepared_small(), ["T-001"]))
    assert _stale_copies(pg) == 0
    assert _codes_in_tile(pg, before.x + MOVE_DEG, before.y) == ["T-001"]
    assert "T-001" not in _codes_in_tile(pg, before.x, before.y)


def test_postgis_mercator_copy_follows_a_replacement(pg):
    before = shapely.centroid(pg.get("T-002").geometry)
    frame = prepared_small()
    moved = frame["code"] == "T-002"
    frame.loc[moved, "geometry"] = frame.geometry[moved].translate(xoff=MOVE_DEG)
    pg.replace_all(frame)
    assert _stale_copies(pg) == 0
    assert _codes_in_tile(pg, before.x + MOVE_DEG, before.y) == ["T-002"]


def test_postgis_mercator_copy_survives_an_attribute_edit(pg):
    parcel = pg.get("T-003")
    pg.update_parcel(parcel.id, {"status": "reserve", "note": "edited"}, 1, "eddie", "form")
    centre = shapely.centroid(parcel.geometry)
    assert _stale_copies(pg) == 0 and "T-003" in _codes_in_tile(pg, centre.x, centre.y)


def _drop_mercator_column(store) -> None:
    """Make the table look like one created before the Mercator copy existed (layout 1)."""
    with store.database.transaction() as conn:
        conn.execute(f"ALTER TABLE {store.parcels} DROP COLUMN geom_3857")
    record_layout_version(store, 1)


def _mercator_objects(store) -> set[str]:
    sql = ("SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
           "AND table_name = 'parcels' AND column_name = 'geom_3857' UNION ALL "
           "SELECT indexname FROM pg_indexes WHERE schemaname = %s "
           "AND indexname = 'parcels_geom_3857_gist'")
    schema = store.location.schema
    with store.database.transaction() as conn:
        return {row[0] for row in conn.execute(sql, (schema, schema))}


def test_postgis_ensure_schema_adds_the_mercator_copy_to_an_older_table(pg):
    _drop_mercator_column(pg)
    assert _mercator_objects(pg) == set()
    pg.ensure_schema()
    assert _mercator_objects(pg) == {"geom_3857", "parcels_geom_3857_gist"}
    assert _stale_copies(pg) == 0 and pg.count() == 4


def test_postgis_older_table_serves_tiles_after_ensure_schema(pg):
    centre = shapely.centroid(pg.get("T-001").geometry)
    expected = _codes_in_tile(pg, centre.x, centre.y)
    _drop_mercator_column(pg)
    pg.ensure_schema()
    assert _codes_in_tile(pg, centre.x, centre.y) == expected == [
        "T-001", "T-002", "T-003", "T-004"]


def test_postgis_ensure_schema_keeps_an_existing_mercator_copy(pg):
    with pg.database.transaction() as conn:
        before = conn.execute("SELECT attnum FROM pg_attribute WHERE attrelid = %s::regclass "
                              "AND attname = 'geom_3857'", (pg.parcels,)).fetchone()
    pg.ensure_schema()
    with pg.database.transaction() as conn:
        after = conn.execute("SELECT attnum FROM pg_attribute WHERE attrelid = %s::regclass "
                             "AND attname = 'geom_3857'", (pg.parcels,)).fetchone()
    assert before == after  # not dropped and added again


def _features_by_id(data: bytes) -> dict:
    layer = mapbox_vector_tile.decode(data)["parcels"]
    return {f["id"]: (f["properties"], f["geometry"]) for f in layer["features"]}


def test_postgis_tile_features_do_not_depend_on_row_order(pg):
    centre = shapely.centroid(pg.get("T-001").geometry)
    tile = tile_containing(centre.x, centre.y, 13)
    with postgis_store() as reversed_store:
        reversed_store.replace_all(prepared_small().iloc[::-1])
        reversed_tile = reversed_store.tile(tile.z, tile.x, tile.y, ParcelFilter())
        tile_data = pg.tile(tile.z, tile.x, tile.y, ParcelFilter())
        assert len(_features_by_id(tile_data)) == 4
        assert _features_by_id(reversed_tile) == _features_by_id(tile_data)


def test_postgis_tile_without_parcels_is_empty_bytes(pg):
    assert pg.tile(13, 0, 0, ParcelFilter()) == b""


def test_postgis_pooled_connections_run_without_jit(pg):
    with pg.database.transaction() as conn:
        assert conn.execute("SHOW jit").fetchone()[0] == "off"


def test_postgis_tile_leaves_pooled_connections_transactional(pg):
    pg.tile(13, 0, 0, ParcelFilter())
    with pg.database.transaction() as conn:
        assert conn.autocommit is False


def test_postgis_failed_tile_leaves_pooled_connections_transactional(pg, monkeypatch):
    def fail(conn, *args):
        conn.execute("SELECT 1 / 0")

    monkeypatch.setattr(postgis, "render_tile", fail)
    with pytest.raises(Exception, match="division by zero"):
        pg.tile(13, 0, 0, ParcelFilter())
    with pg.database.transaction() as conn:
        assert conn.autocommit is False and conn.execute("SELECT 1").fetchone() == (1,)


@pytest.mark.parametrize("z", [9, 10, 11])
def test_postgis_tile_keeps_plain_quadrilaterals_whole(pg, z):
    centre = shapely.centroid(pg.get("T-001").geometry)
    tile = tile_containing(centre.x, centre.y, z)
    layer = mapbox_vector_tile.decode(pg.tile(tile.z, tile.x, tile.y, ParcelFilter()))
    exteriors = [f["geometry"]["coordinates"][0] for f in layer["parcels"]["features"]]
    assert len(exteriors) == 4 and all(len(ring) == 5 for ring in exteriors)  # as mvt.py does


def _vacuums(store) -> int:
    """How often the parcel table was vacuumed by a VACUUM statement (autovacuum not counted).
    (Whether VACUUM marked its pages all-visible depends on every other open transaction in
    the database, other tests' included.)"""
    with store.database.transaction() as conn:
        return conn.execute("SELECT pg_stat_get_vacuum_count(%s::regclass)",
                            (store.parcels,)).fetchone()[0]


def test_postgis_ensure_schema_vacuums_a_table_it_rewrote(pg):
    _drop_mercator_column(pg)
    with pg.database.transaction() as conn:
        conn.execute(f"UPDATE {pg.parcels} SET note = note")  # old row versions, as after edits
    before = _vacuums(pg)
    pg.ensure_schema()
    assert _vacuums(pg) == before + 1
