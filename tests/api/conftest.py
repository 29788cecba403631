"""API test fixtures: a live waitress server on the sample district, and the GDAL command line.

GDAL tests fail instead of skipping when the CI environment variable is set and `ogrinfo`
(Debian gdal-bin) is missing, so CI cannot silently skip the real-client tests.
"""

import os
import shutil
import threading

import pytest
import waitress

from webapp.store.geopackage.tile_tables import refresh_parcel_tiles

SERVER_THREADS = 4


@pytest.fixture(scope="module")
def live_url(sample_app):
    """Base URL (http://127.0.0.1:PORT) of the sample app served by waitress in a thread."""
    server = waitress.create_server(sample_app, host="127.0.0.1", port=0,
                                    threads=SERVER_THREADS)
    thread = threading.Thread(target=server.run, name="waitress-api-tests", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    server.task_dispatcher.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def ogrinfo():
    """Path of Debian's ogrinfo (GDAL 3.6); skipped when missing, failed when CI is set."""
    path = shutil.which("ogrinfo")
    if path is None:
        message = "ogrinfo is missing: install gdal-bin (scripts/install_system_packages.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def sample_store(sample_app):
    """The store of the sample district app (360 parcels)."""
    return sample_app.extensions["landgis.store"]


def unpublish(store, code: str) -> None:
    """Turn a published parcel of a GeoPackage store into a draft, bumping the store's
    generation as landgis's own writes do (kept counts and summaries are of a generation)."""
    with store.database.write_transaction() as db:
        db.execute("UPDATE parcels SET published = 0 WHERE code = ?", (code,))
        refresh_parcel_tiles(db, [fid for (fid,) in db.execute(
            "SELECT fid FROM parcels WHERE code = ?", (code,))])
