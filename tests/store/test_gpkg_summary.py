"""District summaries kept in the GeoPackage file itself (what every backend's kept summaries do
is in test_summary_contract.py)."""

import sqlite3
from contextlib import closing

from tests.store.layout_version import record_layout_version
from webapp.domain.filters import ParcelFilter
from webapp.store.geopackage.tile_tables import TILE_CACHE, TILE_GEOM, TILE_STATE
from webapp.store.tables import SUMMARY_CACHE


def kept_in_file(store) -> list[str]:
    """The names of the summaries kept in the store file, read as any SQLite client would."""
    with closing(sqlite3.connect(store.path)) as db:
        found = db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (SUMMARY_CACHE,))
        if not found.fetchone():
            return []
        return sorted(r[0] for r in db.execute(f"SELECT name FROM {SUMMARY_CACHE}"))


def test_summaries_are_kept_in_the_store_file_as_landgis_data_not_a_map_layer(gpkg):
    assert kept_in_file(gpkg) == ["bounds", "landuse_breakdown", "matched", "supply_groups"]
    with closing(sqlite3.connect(gpkg.path)) as db:
        data_type = db.execute("SELECT data_type FROM gpkg_contents WHERE table_name = ?",
                               (SUMMARY_CACHE,)).fetchone()
    assert data_type == ("landgis_cache",)  # GIS clients do not offer it as a layer


def test_a_store_from_before_the_tile_tables_answers_fresh_then_keeps_after_ensure_schema(gpkg):
    with closing(sqlite3.connect(gpkg.path)) as db, db:
        for table in (TILE_GEOM, TILE_CACHE, TILE_STATE, SUMMARY_CACHE):
            db.execute(f"DROP TABLE {table}")
        db.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (SUMMARY_CACHE,))
    record_layout_version(gpkg, 1)  # as a store of the release before the tile tables
    assert gpkg.bounds() == gpkg.summaries.compute_bounds(ParcelFilter())
    assert kept_in_file(gpkg) == []  # no generation to tag an answer with
    gpkg.ensure_schema()
    assert gpkg.landuse_breakdown() == gpkg.summaries.compute_breakdown(ParcelFilter())
    assert kept_in_file(gpkg) == ["landuse_breakdown"]
