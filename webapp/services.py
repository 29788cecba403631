"""The app's long-lived services (parcel store, land-use table) and accessors for views."""

import logging
from pathlib import Path

from flask import Flask, current_app

from webapp.domain.landuse import LandUseTable, load_landuse_table
from webapp.importing.prepare import prepare_parcels
from webapp.importing.reader import read_parcel_file
from webapp.store import ParcelStore, open_store

logger = logging.getLogger(__name__)
STORE_KEY = "landgis.store"


def load_parcels_into(store: ParcelStore, source: str | Path, table: LandUseTable) -> int:
    """Read, validate and prepare a parcel file, then replace the store's parcels with it."""
    prepared = prepare_parcels(read_parcel_file(source), table)
    return store.replace_all(prepared)


def init_app(app: Flask) -> None:
    """Open the configured store; seed it from the sample file on first run when AUTO_INIT."""
    store = open_store(app.config["STORE_URL"], app.instance_path)
    if not store.exists() and app.config["AUTO_INIT"]:
        count = load_parcels_into(store, app.config["SAMPLE_PATH"], load_landuse_table())
        logger.info("created the parcel store from %s (%d parcels)",
                    app.config["SAMPLE_PATH"], count)
    app.extensions[STORE_KEY] = store


def get_store() -> ParcelStore:
    """The current app's parcel store."""
    return current_app.extensions[STORE_KEY]


def get_landuse_table() -> LandUseTable:
    """The land-use code table (bundled data)."""
    return load_landuse_table()
