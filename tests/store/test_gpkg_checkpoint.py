"""The tile cache's write-ahead log is checkpointed by a background thread, not by a request."""

import sqlite3
import time
from contextlib import closing

from webapp.domain.filters import ParcelFilter
from webapp.store.geopackage import checkpoint as gpkg_checkpoint
from webapp.store.geopackage.checkpoint import BackgroundCheckpointer, logged_pages
from webapp.tiles.grid import tile_containing


def cold_tiles(store, count: int) -> None:
    west, south, _, _ = store.bounds()
    for i in range(count):
        tile = tile_containing(west + 0.001 * i, south, 17)
        # each its own cache key, and each tile holds parcels (empty tiles are not cached)
        store.tile(tile.z, tile.x, tile.y, ParcelFilter(area_max_mu=1_000_000.0 + i))


def wait_for(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_cache_writer_leaves_checkpoints_to_the_background_thread(gpkg):
    cold_tiles(gpkg, 1)
    writer = gpkg.cache_writer.connection()
    assert writer.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0


def test_logged_pages_count_the_data_and_the_pages_around_it():
    assert logged_pages(100) == 2 and logged_pages(280_000) == 2 + 280_000 // 4096


def test_the_log_is_checkpointed_once_about_so_many_pages_were_logged(gpkg):
    checkpointer = gpkg.cache_writer.checkpointer
    checkpointer.every_pages = 4 * logged_pages(2000)
    cold_tiles(gpkg, 3)
    assert checkpointer.checkpoints == 0
    cold_tiles(gpkg, 5)
    assert wait_for(lambda: checkpointer.checkpoints >= 1)
    with closing(sqlite3.connect(gpkg.path)) as db:  # everything was copied back
        busy, logged, copied = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and logged == copied


def test_checkpoint_of_a_missing_file_creates_nothing(tmp_path):
    missing = tmp_path / "gone.gpkg"
    BackgroundCheckpointer(missing).checkpoint()
    assert not missing.exists()


def test_the_checkpoint_thread_ends_when_idle_and_starts_again_when_needed(gpkg, monkeypatch):
    monkeypatch.setattr(gpkg_checkpoint, "IDLE_EXIT_S", 0.05)
    checkpointer = BackgroundCheckpointer(gpkg.path, every_pages=2)
    checkpointer.committed(100)
    assert wait_for(lambda: checkpointer.checkpoints == 1)
    assert wait_for(lambda: checkpointer._thread is None)  # ended after its idle time
    checkpointer.committed(100)
    assert wait_for(lambda: checkpointer.checkpoints == 2)
