"""Context layers in PostGIS beyond the contract (test_context_contract.py): the nearest-feature
search walks the asked layer's own GiST index, layers live in the store's schema (one partition
each), layers of two Gauss-Kruger zones are measured side by side, and writes made outside
landgis keep the generation and the projected copies right."""

import geopandas as gpd
import mapbox_vector_tile
import numpy as np
import pytest
import shapely

from tests.store.conftest import prepared_small
from tests.store.layout_version import record_layout_version
from tests.store.postgis_fixtures import postgis_store
from webapp.domain.context import ContextLayer
from webapp.domain.errors import InvalidEditError
from webapp.domain.filters import ParcelFilter
from webapp.selection.table import TABLE_COLUMNS
from webapp.store.context_store import CONTEXT_TILE_LAYER
from webapp.store.postgis.context_pieces import (
    PIECE_VERTICES,
    PIECES,
    PIECES_FUNCTION,
    PIECES_PREFIX,
)
from webapp.store.postgis.context_schema import (
    CONTEXT_STATE,
    PARTITION_PREFIX,
    TRIGGER,
    partition_table,
)
from webapp.store.postgis.database import first_row
from webapp.store.postgis.schema import SELECTION_INDEX
from webapp.store.sql_filter import where_clause
from webapp.store.tables import CONTEXT_FEATURES, CONTEXT_LAYERS
from webapp.tiles.grid import tile_containing

ROAD_SEGMENTS = 3000  # enough that the planner prefers the index to reading the layer


def frame(names, geometries, classes=None):
    return gpd.GeoDataFrame({"name": names, "feature_class": classes or [None] * len(names)},
                            geometry=list(geometries), crs=4326)


def road_segments(count):
    """Short road segments scattered over the district (seeded)."""
    rng = np.random.default_rng(16)
    x, y = 118.40 + rng.random(count) * 0.2, 31.60 + rng.random(count) * 0.2
    starts, ends = np.stack([x, y], axis=1), np.stack([x + 0.001, y + 0.0005], axis=1)
    return shapely.linestrings(np.stack([starts, ends], axis=1))


@pytest.fixture(scope="module")
def pg_context():
    """A PostGIS store with the four test parcels, a dense road layer and two interchanges,
    one each side of 118.5 E (read only)."""
    with postgis_store() as store:
        store.replace_all(prepared_small())
        roads = road_segments(ROAD_SEGMENTS)
        store.context.replace_layer(ContextLayer("roads", "道路", "road"),
                                    frame([f"路{i}" for i in range(len(roads))], roads), "t")
        store.context.replace_layer(
            ContextLayer("interchanges", "互通", "interchange"),
            frame(["东", "西"], [shapely.Point(118.60, 31.70), shapely.Point(118.44, 31.70)]), "t")
        store.context.replace_layer(  # centred west of 118.5 E: the 117 E zone
            ContextLayer("west", "西区", "interchange"),
            frame(["西站"], [shapely.Point(118.43, 31.71)]), "t")
        yield store


def explain(store, sql, params):
    with store.database.transaction() as conn:
        return "\n".join(row[0] for row in conn.execute(f"EXPLAIN {sql}", params))


def test_postgis_nearest_walks_the_layers_distance_index(pg_context):
    ids = list(pg_context.code_ids().values())
    plan = explain(pg_context, pg_context.context.nearest_sql(), {"name": "roads", "ids": ids})
    partition = f"{PIECES_PREFIX}roads"
    assert f"Index Scan using {partition}_geom_m_idx on {partition}" in plan, plan
    assert "Order By: (geom_m <->" in plan and "Sort" not in plan, plan
    assert f"{PIECES_PREFIX}interchanges" not in plan, plan


def test_postgis_nearest_reads_only_the_layers_partition(pg_context):
    ids = list(pg_context.code_ids().values())
    plan = explain(pg_context, pg_context.context.nearest_sql(),
                   {"name": "interchanges", "ids": ids})
    assert f"{PIECES_PREFIX}interchanges" in plan and f"{PIECES_PREFIX}roads" not in plan


def test_postgis_layers_in_two_zones_are_each_measured_in_their_own(pg_context):
    layers = {layer.name: layer.distance_epsg for layer in pg_context.context.layers()}
    assert (layers["interchanges"], layers["west"]) == (4549, 4548)
    parcel_id = pg_context.code_ids()["T-001"]
    east = pg_context.context.nearest("interchanges", [parcel_id])[parcel_id]
    west = pg_context.context.nearest("west", [parcel_id])[parcel_id]
    assert (east.feature_name, west.feature_name) == ("西", "西站")
    assert 5500 < east.distance_m < 6000 and 6500 < west.distance_m < 7000


def test_postgis_context_tables_live_in_the_store_schema(pg_context):
    schema = pg_context.location.schema
    with pg_context.database.transaction() as conn:
        tables = {row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))}
    assert {CONTEXT_LAYERS, CONTEXT_FEATURES, CONTEXT_STATE} <= tables
    assert {f"{PARTITION_PREFIX}{name}" for name in ("roads", "interchanges", "west")} <= tables


def test_postgis_a_write_outside_landgis_bumps_the_generation_and_reprojects(pg_context):
    """QGIS (or psql) moving a feature: the trigger notices, the projected copies follow."""
    store = pg_context
    store.context.replace_layer(ContextLayer("stations", "站", "station"),
                                frame(["站"], [shapely.Point(118.60, 31.70)]), "t")
    before = store.context.generation()
    parcel_id = store.code_ids()["T-001"]
    far = store.context.nearest("stations", [parcel_id])[parcel_id].distance_m
    with store.database.transaction() as conn:
        conn.execute(f"UPDATE {store.location.table(CONTEXT_FEATURES)} "
                     "SET geom = 'SRID=4326;POINT(118.5005 31.7005)' WHERE layer = 'stations'")
    near = store.context.nearest("stations", [parcel_id])[parcel_id].distance_m
    assert store.context.generation() == before + 1
    assert far > 9000 and near == 0.0


def test_postgis_context_tile_draws_polygons_then_lines_then_points():
    with postgis_store() as store:
        store.context.replace_layer(ContextLayer("a-points", "点", "station"),
                                    frame(["站"], [shapely.Point(118.505, 31.705)]), "t")
        store.context.replace_layer(
            ContextLayer("b-lines", "线", "road"),
            frame(["路"], [shapely.LineString([(118.50, 31.705), (118.51, 31.705)])]), "t")
        store.context.replace_layer(ContextLayer("c-polygons", "面", "park"),
                                    frame(["园"], [shapely.box(118.50, 31.70, 118.51, 31.71)]), "t")
        tile = tile_containing(118.505, 31.705, 13)
        features = mapbox_vector_tile.decode(store.context.tile(tile.z, tile.x, tile.y))
    assert [f["properties"]["name"] for f in features[CONTEXT_TILE_LAYER]["features"]] == [
        "园", "路", "站"]


def test_postgis_delete_layer_drops_its_partition():
    with postgis_store() as store:
        store.context.replace_layer(ContextLayer("gone", "去", "station"),
                                    frame(["站"], [shapely.Point(118.5, 31.7)]), "t")
        store.context.delete_layer("gone")
        with store.database.transaction() as conn:
            found = conn.execute("SELECT to_regclass(%s)", (
                store.location.table(f"{PARTITION_PREFIX}gone"),)).fetchone()[0]
    assert found is None


def test_postgis_a_store_from_before_context_layers_reads_empty_then_gets_them():
    with postgis_store() as store:
        store.ensure_schema()
        features = store.location.table(CONTEXT_FEATURES)
        with store.database.transaction() as conn:
            conn.execute(f"DROP TABLE {features}, {store.location.table(CONTEXT_LAYERS)}, "
                         f"{store.location.table(CONTEXT_STATE)}")
        record_layout_version(store, 1)  # as a store of the release before context layers
        tile = tile_containing(118.505, 31.705, 13)
        assert (store.context.layers(), store.context.generation()) == ([], 0)
        assert store.context.layer("roads") is None and store.context.feature("roads", 1) is None
        assert store.context.features("roads").number_matched == 0
        assert store.context.tile(tile.z, tile.x, tile.y) == b""
        assert store.context.nearest("roads", [1]) == {}
        store.context.replace_layer(ContextLayer("roads", "道路", "road"),
                                    frame(["路"], road_segments(1)), "t")
        store.ensure_schema()  # again: nothing to add, no second trigger
        assert store.context.features("roads").number_matched == 1
        with store.database.transaction() as conn:
            triggers = conn.execute(
                "SELECT COUNT(*) FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass",
                (TRIGGER, features)).fetchone()[0]
    assert triggers == 1


@pytest.mark.parametrize("name", ["roads\n", "roads\nx", "Roads"])
def test_postgis_layer_names_that_could_not_name_a_partition_are_refused(pg_context, name):
    """A layer's name goes into its partition's name: only checked names get there."""
    with pytest.raises(InvalidEditError):
        pg_context.context.replace_layer(ContextLayer(name, "道路", "road"),
                                         frame(["路"], road_segments(1)), "t")
    with pytest.raises(ValueError, match="not a layer name"):
        partition_table(pg_context.location, name)


# The pieces of long features (context_pieces): nearest() walks them, they follow every write.

def long_road(vertices=400):
    """A winding road across the district, far more vertices than a piece holds."""
    x = np.linspace(118.45, 118.56, vertices)
    return shapely.LineString(np.stack([x, 31.695 + 0.004 * np.sin(x * 900)], axis=1))


def block_with_a_hole():
    """A big round block holding T-001, T-003 and T-004 deep inside, with a hole around
    T-002 (which is then outside it, a few hundred metres from the hole's edge)."""
    outer = shapely.Point(118.505, 31.705).buffer(0.03, quad_segs=64)
    return shapely.Polygon(outer.exterior, [shapely.Point(118.5063, 31.7005).buffer(
        0.004, quad_segs=32).exterior])


@pytest.fixture(scope="module")
def pg_pieces():
    """A PostGIS store with the four test parcels, a long road and a big block (read only)."""
    with postgis_store() as store:
        store.replace_all(prepared_small())
        store.context.replace_layer(ContextLayer("highway", "高速", "road"),
                                    frame(["高速"], [long_road()]), "t")
        store.context.replace_layer(ContextLayer("blocks", "街区", "street_boundary"),
                                    frame(["街区"], [block_with_a_hole()]), "t")
        yield store


def whole_feature_distances(store, layer):
    """Per parcel, the least ST_Distance to the layer's unsubdivided features (metres)."""
    with store.database.transaction() as conn:
        return dict(conn.execute(
            f"SELECT p.id, MIN(ST_Distance(ST_Transform(p.geom, c.epsg), c.geom_m)) "
            f"FROM {store.location.table('parcels')} p, "
            f"{store.location.table(CONTEXT_FEATURES)} c WHERE c.layer = %s GROUP BY p.id",
            (layer,)).fetchall())


def piece_counts(store, layer):
    """(pieces stored for the layer, pieces ST_Subdivide makes of its features now)."""
    with store.database.transaction() as conn:
        return first_row(conn.execute(
            f"SELECT (SELECT COUNT(*) FROM {store.location.table(PIECES)} WHERE layer = %s), "
            f"(SELECT COUNT(*) FROM {store.location.table(CONTEXT_FEATURES)}, "
            f"ST_Subdivide(geom_m, {PIECE_VERTICES}) WHERE layer = %s)", (layer, layer)))


@pytest.mark.parametrize("layer", ["highway", "blocks"])
def test_postgis_nearest_over_pieces_equals_the_whole_feature_distance(pg_pieces, layer):
    ids = pg_pieces.code_ids()
    found = pg_pieces.context.nearest(layer, list(ids.values()))
    expected = whole_feature_distances(pg_pieces, layer)
    assert {i: n.distance_m for i, n in found.items()} == pytest.approx(expected, abs=1e-6)
    stored, made = piece_counts(pg_pieces, layer)
    assert stored == made > 10  # the long feature really is in pieces


def test_postgis_a_parcel_deep_inside_a_big_polygon_is_at_distance_zero(pg_pieces):
    ids = pg_pieces.code_ids()
    found = pg_pieces.context.nearest("blocks", list(ids.values()))
    assert [found[ids[code]].distance_m for code in ("T-001", "T-003", "T-004")] == [0, 0, 0]
    assert 100 < found[ids["T-002"]].distance_m < 400  # in the hole


def test_postgis_nearest_walks_the_pieces_index(pg_pieces):
    ids = list(pg_pieces.code_ids().values())
    plan = explain(pg_pieces, pg_pieces.context.nearest_sql(), {"name": "highway", "ids": ids})
    partition = f"{PIECES_PREFIX}highway"
    assert f"Index Scan using {partition}_geom_m_idx on {partition}" in plan, plan
    assert f"{PIECES_PREFIX}blocks" not in plan, plan


def test_postgis_pieces_follow_direct_inserts_updates_and_deletes():
    """QGIS (or psql) writing context_features: the row trigger keeps the pieces in step."""
    with postgis_store() as store:
        store.replace_all(prepared_small())
        store.context.replace_layer(ContextLayer("lines", "线", "road"),
                                    frame(["远"], [shapely.LineString([(118.6, 31.6),
                                                                        (118.6, 31.8)])]), "t")
        features, t001 = store.location.table(CONTEXT_FEATURES), store.code_ids()["T-001"]
        with store.database.transaction() as conn:
            conn.execute(f"INSERT INTO {features} (layer, name, epsg, geom) VALUES "
                         "('lines', '近', 4549, ST_GeomFromText(%s, 4326))",
                         (long_road().wkt,))
        assert piece_counts(store, "lines")[0] == piece_counts(store, "lines")[1] > 10
        near = store.context.nearest("lines", [t001])[t001]
        assert near.feature_name == "近"
        assert near.distance_m == pytest.approx(whole_feature_distances(store, "lines")[t001])
        with store.database.transaction() as conn:
            conn.execute(f"UPDATE {features} SET geom = ST_Translate(geom, 0.2, 0) "
                         "WHERE name = '近'")
        assert piece_counts(store, "lines")[0] == piece_counts(store, "lines")[1]
        assert store.context.nearest("lines", [t001])[t001].feature_name == "远"
        with store.database.transaction() as conn:
            conn.execute(f"DELETE FROM {features} WHERE name = '远'")
        assert piece_counts(store, "lines")[0] == piece_counts(store, "lines")[1]
        assert store.context.nearest("lines", [t001])[t001].feature_name == "近"
        with store.database.transaction() as conn:
            conn.execute(f"DELETE FROM {features} WHERE layer = 'lines'")
        assert piece_counts(store, "lines") == (0, 0)
        assert store.context.nearest("lines", [t001]) == {}


def test_postgis_a_store_from_before_the_pieces_gets_them_from_ensure_schema():
    with postgis_store() as store:
        store.replace_all(prepared_small())
        store.context.replace_layer(ContextLayer("highway", "高速", "road"),
                                    frame(["高速"], [long_road()]), "t")
        with store.database.transaction() as conn:  # as a store of session 8 left it
            conn.execute(f"DROP TABLE {store.location.table(PIECES)}")
            conn.execute(f"DROP FUNCTION {store.location.table(PIECES_FUNCTION)} CASCADE")
        record_layout_version(store, 1)
        store.ensure_schema()
        t001 = store.code_ids()["T-001"]
        assert piece_counts(store, "highway")[0] == piece_counts(store, "highway")[1] > 10
        assert store.context.nearest("highway", [t001])[t001].distance_m == pytest.approx(
            whole_feature_distances(store, "highway")[t001])
        store.ensure_schema()  # again: the pieces are not doubled
        assert piece_counts(store, "highway")[0] == piece_counts(store, "highway")[1]


def test_postgis_replacing_and_deleting_a_layer_keeps_its_pieces_right(pg_pieces):
    with postgis_store() as store:
        store.context.replace_layer(ContextLayer("highway", "高速", "road"),
                                    frame(["高速"], [long_road()]), "t")
        store.context.replace_layer(ContextLayer("highway", "高速", "road"),
                                    frame(["a", "b"], [long_road(40), long_road(30)]), "t")
        assert piece_counts(store, "highway")[0] == piece_counts(store, "highway")[1]
        store.context.delete_layer("highway")
        with store.database.transaction() as conn:
            found = conn.execute("SELECT to_regclass(%s)", (
                store.location.table(f"{PIECES_PREFIX}highway"),)).fetchone()[0]
    assert found is None


def test_postgis_selection_reads_candidates_from_the_index_alone(pg_pieces):
    """Every column site selection reads (store.attribute_table's statement) is in the
    selection index: no heap row is fetched once VACUUM has made the visibility map."""
    store, parcels = pg_pieces, pg_pieces.location.table("parcels")
    where, params = where_clause(ParcelFilter(land_uses=("1001",), statuses=("available",),
                                              area_min_mu=1.0, area_max_mu=200.0), mark="%s")
    with store.database.pooled_autocommit() as conn:
        conn.execute(f"VACUUM {parcels}")
    with store.database.transaction() as conn:  # the four parcels would be read whole else
        conn.execute("SET LOCAL enable_seqscan = off")
        conn.execute("SET LOCAL enable_bitmapscan = off")
        plan = "\n".join(row[0] for row in conn.execute(
            f"EXPLAIN SELECT id, {', '.join(TABLE_COLUMNS)} FROM {parcels} WHERE {where} "
            "LIMIT 10", params))
    assert f"Index Only Scan using {SELECTION_INDEX}" in plan, plan
