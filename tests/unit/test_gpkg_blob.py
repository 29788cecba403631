"""GeoPackage geometry blobs: encode, decode and the R-tree trigger functions."""

import sqlite3

import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from webapp.store.geopackage.blob import (
    envelope_of_gpkg_blob,
    geometry_from_gpkg_blob,
    gpkg_blobs_from_geometries,
    srs_id_of_gpkg_blob,
)
from webapp.store.geopackage.functions import register_gpkg_functions

SQUARE = MultiPolygon([box(118.5, 31.7, 118.51, 31.71)])


def test_gpkg_blob_round_trips_geometry():
    blob = gpkg_blobs_from_geometries([SQUARE])[0]
    assert geometry_from_gpkg_blob(blob).equals(SQUARE)
    assert srs_id_of_gpkg_blob(blob) == 4326


def test_gpkg_blob_envelope_is_minx_maxx_miny_maxy():
    blob = gpkg_blobs_from_geometries([SQUARE])[0]
    assert envelope_of_gpkg_blob(blob) == pytest.approx((118.5, 118.51, 31.7, 31.71))


def test_gpkg_blob_empty_geometry_is_flagged():
    blob = gpkg_blobs_from_geometries([Polygon()])[0]
    assert geometry_from_gpkg_blob(blob) is None and envelope_of_gpkg_blob(blob) is None


def test_gpkg_blob_none_stays_none():
    assert gpkg_blobs_from_geometries([None]) == [None]


def test_gpkg_blob_without_magic_is_refused():
    with pytest.raises(ValueError, match="not a GeoPackage geometry blob"):
        geometry_from_gpkg_blob(b"XX" + shapely.to_wkb(SQUARE))


def test_gpkg_functions_answer_like_spatialite():
    db = sqlite3.connect(":memory:")
    register_gpkg_functions(db)
    blob = gpkg_blobs_from_geometries([SQUARE])[0]
    row = db.execute("SELECT ST_IsEmpty(?), ST_MinX(?), ST_MaxY(?)", (blob, blob, blob)).fetchone()
    assert row == (0, 118.5, 31.71)
