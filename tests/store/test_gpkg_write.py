"""Writing a new GeoPackage store: extra fields as JSON, band geometry written chunk by chunk."""

import sqlite3
from contextlib import closing

import pytest
import shapely

from tests.store.conftest import prepared_small
from webapp.store.geopackage import tile_tables as gpkg_tiles
from webapp.store.geopackage.bulk import extra_json
from webapp.store.geopackage.tile_tables import TILE_GEOM
from webapp.tiles.projected import mercator_geometries


@pytest.mark.parametrize(("extra", "text"), [
    ({}, "{}"), (None, "{}"), ({"备注": "临河", "OBJECTID": 7}, '{"OBJECTID": 7, "备注": "临河"}'),
])
def test_extra_fields_are_stored_as_canonical_json_text(extra, text):
    # Keys sorted, as upsert_plan.canonical_json compares them: a re-import of the same file
    # is no change, whichever way the file ordered its columns.
    assert extra_json([extra]) == [text]


def band_rows_in(path) -> list[tuple]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(f"SELECT band, parcel_id, wkb FROM {TILE_GEOM} "
                          "ORDER BY band, parcel_id").fetchall()


def rewrite_band_geometry(path, parcels) -> None:
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(f"DELETE FROM {TILE_GEOM}")
        gpkg_tiles.write_tile_geometry(db, parcels["id"], parcels.geometry.to_numpy(),
                                       replace=False)


def test_band_geometry_written_in_chunks_is_each_parcels_projection(gpkg, monkeypatch):
    monkeypatch.setattr(gpkg_tiles, "WRITE_CHUNK", 3)  # 4 parcels: a second chunk prepared ahead
    parcels = prepared_small()
    rewrite_band_geometry(gpkg.path, parcels)
    bands = mercator_geometries(parcels.geometry.to_numpy())
    assert band_rows_in(gpkg.path) == sorted(
        (band, parcel_id, wkb) for band, geometries in enumerate(bands)
        for parcel_id, wkb in zip(parcels["id"].tolist(), shapely.to_wkb(geometries).tolist(),
                                  strict=True))


def test_band_geometry_error_in_a_later_chunk_reaches_the_writer(gpkg, monkeypatch):
    monkeypatch.setattr(gpkg_tiles, "WRITE_CHUNK", 2)
    calls = []

    def failing_second_chunk(geometries):
        calls.append(len(geometries))
        if len(calls) == 2:
            raise MemoryError("no room for band geometry")
        return mercator_geometries(geometries)

    monkeypatch.setattr(gpkg_tiles, "mercator_geometries", failing_second_chunk)
    with pytest.raises(MemoryError, match="no room"):
        rewrite_band_geometry(gpkg.path, prepared_small())
    assert len(band_rows_in(gpkg.path)) == 3 * 4  # the failed rewrite was rolled back
