"""GeoPackage specifics of the context layers: a real feature layer GDAL opens (R-tree kept in
step), the parcels' tile cache left alone, an older store file brought up to date, the nearest
index kept per layer generation."""

import shutil
import sqlite3
import subprocess
from contextlib import closing

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from tests.store.conftest import prepared_small
from tests.store.layout_version import record_layout_version
from webapp.domain.context import ContextLayer
from webapp.domain.errors import NotFoundError
from webapp.domain.filters import ParcelFilter
from webapp.selection.table import TABLE_COLUMNS
from webapp.store import GeoPackageStore
from webapp.store.context_features import lonlat_to
from webapp.store.geopackage.context_nearest import (
    NearestIndex,
    line_pieces,
    nearest_pieces,
    outline_pieces,
    parcel_geometries,
)
from webapp.store.geopackage.context_tables import RTREE, STATE
from webapp.store.tables import CONTEXT_FEATURES, CONTEXT_LAYERS, PARCELS
from webapp.tiles.grid import tile_containing

ROADS = gpd.GeoDataFrame(
    {"name": ["G205", "北路"], "feature_class": ["G205", None]},
    geometry=[shapely.LineString([(118.52, 31.68), (118.52, 31.73)]),
              shapely.MultiLineString([[(118.49, 31.715), (118.505, 31.715)]])], crs=4326)
ORIGIN_M = np.array([640_000.0, 3_505_000.0])  # near Ma'anshan in EPSG:4548 (GK CM 117E)
SUMMARIES = "SELECT name, filter_key, generation FROM landgis_summary_cache ORDER BY 1, 2"
PORTS = gpd.GeoDataFrame({"name": ["港"], "feature_class": [None]},
                         geometry=[shapely.Point(118.49, 31.70)], crs=4326)


def put(store, name="roads", kind="road", features=ROADS):
    return store.context.replace_layer(ContextLayer(name, "图层", kind), features, "carla")


@pytest.fixture
def with_layers(gpkg):
    put(gpkg)
    put(gpkg, "ports", "port", PORTS)
    return gpkg


def sql(store, statement, params=()):
    with closing(sqlite3.connect(store.path)) as db:
        return db.execute(statement, params).fetchall()


def sql_writes(store, *statements):
    with closing(sqlite3.connect(store.path)) as db, db:
        for statement in statements:
            db.execute(statement)


def test_gpkg_context_features_are_a_layer_gdal_reads(with_layers):
    assert [name for name, _ in pyogrio.list_layers(with_layers.path)] == [
        "parcels", "context_features"]
    frame = pyogrio.read_dataframe(with_layers.path, layer=CONTEXT_FEATURES)
    assert frame[["layer", "name", "feature_class"]].fillna("-").values.tolist() == [
        ["roads", "G205", "G205"], ["roads", "北路", "-"], ["ports", "港", "-"]]
    assert all(frame.geometry.geom_equals(gpd.GeoSeries([*ROADS.geometry, *PORTS.geometry],
                                                        crs=4326)))
    assert pyogrio.read_info(with_layers.path, layer=CONTEXT_FEATURES)["crs"] == "EPSG:4326"


def test_gpkg_context_gdal_uses_the_spatial_index(with_layers):
    info = pyogrio.read_info(with_layers.path, layer=CONTEXT_FEATURES)
    assert info["capabilities"]["fast_spatial_filter"]
    frame = pyogrio.read_dataframe(with_layers.path, layer=CONTEXT_FEATURES,
                                   bbox=(118.515, 31.69, 118.53, 31.70))
    assert frame["name"].tolist() == ["G205"]


def test_gpkg_context_leaves_the_parcel_layer_as_gdal_reads_it(with_layers):
    assert pyogrio.read_info(with_layers.path, layer="parcels")["features"] == 4
    assert len(pyogrio.read_dataframe(with_layers.path, layer="parcels")) == 4


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL command-line tools missing")
def test_gpkg_context_system_gdal_lists_the_layer(with_layers):
    # Debian's GDAL (3.6, as many QGIS installs) rather than the wheel's
    listed = subprocess.run(["ogrinfo", "-ro", "-so", str(with_layers.path), CONTEXT_FEATURES],
                            capture_output=True, text=True, check=True).stdout
    assert "Feature Count: 3" in listed and "Geometry Column = geom" in listed


def test_gpkg_context_rtree_follows_replace_and_delete(with_layers):
    put(with_layers, features=ROADS.iloc[:1])
    with_layers.context.delete_layer("ports")
    ids = [row[0] for row in sql(with_layers, f"SELECT fid FROM {CONTEXT_FEATURES}")]
    assert [row[0] for row in sql(with_layers, f"SELECT id FROM {RTREE}")] == ids
    assert len(ids) == 1
    assert sql(with_layers, "PRAGMA integrity_check") == [("ok",)]


def test_gpkg_context_extent_in_gpkg_contents_follows_the_features(with_layers):
    with_layers.context.delete_layer("ports")
    extent = sql(with_layers, "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE "
                 "table_name = ?", (CONTEXT_FEATURES,))[0]
    assert extent == pytest.approx((118.49, 31.68, 118.52, 31.73), abs=1e-4)


def test_gpkg_context_writes_leave_the_tile_cache_and_summaries(gpkg):
    tile = tile_containing(118.505, 31.705, 13)
    gpkg.tile(tile.z, tile.x, tile.y, ParcelFilter())
    gpkg.bounds()
    kept = (gpkg.tiles.count(), sql(gpkg, "SELECT * FROM landgis_tile_state"), sql(gpkg, SUMMARIES))
    put(gpkg)
    gpkg.context.delete_layer("roads")
    assert (gpkg.tiles.count(), sql(gpkg, "SELECT * FROM landgis_tile_state"),
            sql(gpkg, SUMMARIES)) == kept
    assert kept[0] == 1


def test_gpkg_context_store_from_before_context_layers(gpkg):
    with closing(sqlite3.connect(gpkg.path)) as db, db:
        for table in (CONTEXT_FEATURES, CONTEXT_LAYERS, STATE, RTREE):
            db.execute(f'DROP TABLE "{table}"')
        for table in ("gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions"):
            db.execute(f"DELETE FROM {table} WHERE table_name IN (?, ?, ?)",
                       (CONTEXT_FEATURES, CONTEXT_LAYERS, STATE))
    old = GeoPackageStore(gpkg.path)
    assert (old.context.layers(), old.context.generation(), old.context.nearest("roads", [1])) \
        == ([], 0, {})
    old.ensure_schema()
    assert put(old).feature_count == 2
    assert len(pyogrio.read_dataframe(old.path, layer=CONTEXT_FEATURES)) == 2


def test_gpkg_context_without_a_store_file(tmp_path):
    store = GeoPackageStore(tmp_path / "none.gpkg")
    assert (store.context.layers(), store.context.generation()) == ([], 0)
    assert store.context.delete_layer("roads") is False
    with pytest.raises(NotFoundError):
        put(store)
    assert list(tmp_path.iterdir()) == []


def test_gpkg_context_nearest_index_is_built_once_per_generation(with_layers):
    ids = list(with_layers.code_ids().values())
    first = with_layers.context.nearest("roads", ids)
    assert with_layers.context.nearest("roads", ids) == first
    assert with_layers.context.indexes.builds == 1
    put(with_layers, features=ROADS.iloc[1:])
    assert with_layers.context.nearest("roads", ids) != first
    assert with_layers.context.indexes.builds == 2


def test_gpkg_context_nearest_sees_another_process_replacement(with_layers):
    ids = list(with_layers.code_ids().values())
    with_layers.context.nearest("roads", ids)
    other = GeoPackageStore(with_layers.path)  # another worker on the same file
    put(other, features=ROADS.iloc[1:])
    assert {n.feature_name for n in with_layers.context.nearest("roads", ids).values()} == {
        "北路"}


def test_gpkg_context_replace_all_keeps_the_layers(with_layers):
    with_layers.replace_all(prepared_small().iloc[:2])
    assert [layer.name for layer in with_layers.context.layers()] == ["ports", "roads"]


@pytest.mark.parametrize("segments", [1, 2, 4])
def test_gpkg_context_line_pieces_cover_each_line(segments):
    lines = np.array([shapely.LineString([(i, (i * i) % 7) for i in range(count)])
                      for count in range(2, 12)] + [ROADS.geometry[1]], dtype=object)
    pieces, owner = line_pieces(lines, segments)
    assert all(shapely.get_num_coordinates(pieces) <= segments + 1)
    for index, line in enumerate(lines):
        assert shapely.union_all(pieces[owner == index]).equals(line)


def test_gpkg_context_nearest_index_agrees_with_brute_force():
    rng = np.random.default_rng(16)
    walks = [shapely.LineString(np.cumsum(rng.normal(0, 50, (60, 2)), axis=0) + rng.uniform(
        0, 5000, 2)) for _ in range(40)]
    rings = [shapely.Point(rng.uniform(0, 5000, 2)).buffer(rng.uniform(50, 400))
             for _ in range(20)]
    features = np.array([*walks, *rings, shapely.MultiPoint(rng.uniform(0, 5000, (5, 2)))],
                        dtype=object)
    parcels_m = np.array([shapely.box(x, y, x + 80, y + 60)
                          for x, y in rng.uniform(0, 5000, (300, 2))], dtype=object)
    features, parcels_m = (shapely.transform(g, lambda xy: xy + ORIGIN_M)
                           for g in (features, parcels_m))
    index = NearestIndex.of(4548, np.arange(100, 100 + len(features)), [None] * len(features),
                            features)
    index_found = index.nearest(range(len(parcels_m)), shapely.transform(
        parcels_m, lambda xy: np.column_stack(lonlat_to(4548).transform(
            xy[:, 0], xy[:, 1], direction="INVERSE"))))
    brute = shapely.distance(parcels_m[:, None], features[None, :])
    assert [found.distance_m for found in index_found.values()] == pytest.approx(
        brute.min(axis=1), abs=1e-3)
    assert all(brute[p, found.feature_id - 100] == pytest.approx(found.distance_m, abs=1e-3)
               for p, found in index_found.items())


def test_gpkg_context_parcel_geometries_in_one_statement(with_layers):
    with with_layers.database.read() as db:
        stored = [fid for (fid,) in db.execute(
            f"SELECT fid FROM {PARCELS} WHERE geom IS NOT NULL ORDER BY fid")]
        statements: list[str] = []
        db.set_trace_callback(statements.append)
        ids, geometries = parcel_geometries(
            db, [*reversed(stored), *range(10**6, 10**6 + 3000), -1, 2**63 - 1, 10**30])
        db.set_trace_callback(None)
    assert stored and ids == stored and len(statements) == 1  # unknown ids left out
    assert len(geometries) == len(stored) and not shapely.is_empty(geometries).any()


def pieces_and_parcels():
    """Outline pieces of winding roads and round blocks, and parcels of many shapes among
    them (concave, with holes, multi-part), some at the centre of a round outline (where
    every piece of it is about as near: the crowded case)."""
    rng = np.random.default_rng(17)
    roads = [shapely.LineString(np.cumsum(rng.normal(0, 40, (80, 2)), axis=0)
                                + rng.uniform(0, 4000, 2)) for _ in range(30)]
    centres = rng.uniform(0, 4000, (8, 2))
    blocks = [shapely.Point(c).buffer(300, quad_segs=64) for c in centres]
    pieces, _ = outline_pieces(np.array([*roads, *blocks], dtype=object))
    shapes = [shapely.box(0, 0, 80, 60),
              shapely.Polygon([(0, 0), (90, 0), (90, 20), (20, 20), (20, 70), (0, 70)]),
              shapely.box(0, 0, 90, 90).difference(shapely.box(30, 30, 60, 60)),
              shapely.MultiPolygon([shapely.box(0, 0, 30, 30), shapely.box(50, 0, 80, 40)])]
    spots = np.vstack([rng.uniform(-500, 4500, (200, 2)), centres - 40])
    parcels = np.array([shapely.transform(shapes[i % len(shapes)], lambda xy, s=spot: xy + s)
                        for i, spot in enumerate(spots)], dtype=object)
    return shapely.STRtree(pieces), parcels


@pytest.mark.parametrize("limit", [0, 8, 64, 10**6])  # 0: the tree's own search for all
def test_gpkg_context_nearest_pieces_equal_the_trees_own_search(limit):
    tree, parcels = pieces_and_parcels()
    _, expected = tree.query_nearest(parcels, return_distance=True,
                                     all_matches=False)
    piece, distance = nearest_pieces(tree, parcels, limit)
    assert distance.tolist() == pytest.approx(expected.tolist(), abs=1e-9)
    assert shapely.distance(parcels, tree.geometries[piece]).tolist() == pytest.approx(
        distance.tolist(), abs=1e-9)
    assert (expected > 0).sum() > 150


# Index statistics of the 10^6-parcel benchmark district (ANALYZE'd): a four-parcel store's
# own would let the planner take any index.
DISTRICT_STATISTICS = {
    "idx_parcels_land_use_cover": "1000000 76924 19231 19231 1",
    "idx_parcels_selection_cover": "1000000 76924 19231 19231 1 1 1 1 1 1 1 1",
    "idx_parcels_supply_cover": "1000000 1000000 250000 19231 3206 1",
    "idx_parcels_status": "1000000 250000", "idx_parcels_street": "1000000 166667",
    "idx_parcels_land_use": "1000000 76924", "idx_parcels_area_m2": "1000000 1",
    "idx_parcels_code": "1000000 1"}


def selection_read_plan(store):
    """SQLite's plan of the selection's candidate read (store.attribute_table's statement)
    with the benchmark district's index statistics, in a connection of its own."""
    read: list[str] = []
    with store.database.read() as db:
        db.set_trace_callback(read.append)
        store.attribute_table(ParcelFilter(land_uses=("1001",), statuses=("available",),
                                           area_min_mu=1.0, area_max_mu=200.0),
                              TABLE_COLUMNS, 10)
        db.set_trace_callback(None)
    with closing(sqlite3.connect(store.path)) as db:
        indexes = {name for (name,) in db.execute(
            "SELECT idx FROM sqlite_stat1 WHERE tbl = 'parcels'")}
        with db:
            for name in indexes & DISTRICT_STATISTICS.keys():
                db.execute("UPDATE sqlite_stat1 SET stat = ? WHERE idx = ?",
                           (DISTRICT_STATISTICS[name], name))
    with closing(sqlite3.connect(store.path)) as db:
        return str(db.execute(f"EXPLAIN QUERY PLAN {read[-1]}").fetchall())


def test_gpkg_context_selection_reads_candidates_from_one_covering_index(gpkg):
    assert "COVERING INDEX idx_parcels_selection_cover" in selection_read_plan(gpkg)


def test_gpkg_context_store_from_before_the_selection_index_gets_it(gpkg):
    """The index, and its statistics (without them the planner would not use it)."""
    sql_writes(gpkg, "DROP INDEX idx_parcels_selection_cover",
               "DELETE FROM sqlite_stat1 WHERE idx = 'idx_parcels_selection_cover'")
    assert "idx_parcels_selection_cover" not in selection_read_plan(gpkg)
    record_layout_version(gpkg, 1)
    gpkg.ensure_schema()
    assert "COVERING INDEX idx_parcels_selection_cover" in selection_read_plan(gpkg)
