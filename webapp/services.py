"""The app's long-lived services (parcel store, land-use table) and accessors for views."""

import logging
from pathlib import Path

from flask import Flask, current_app

from webapp.domain.landuse import LandUseTable, load_landuse_table
from webapp.importing.pipeline import apply_import, plan_strict_import
from webapp.store import ParcelStore, open_store
from webapp.store.cache_keys import CacheLimits

logger = logging.getLogger(__name__)
STORE_KEY = "landgis.store"


def load_parcels_into(store: ParcelStore, source: str | Path, table: LandUseTable) -> int:
    """Replace the store's parcels with a file's, refusing the file if any feature is bad."""
    return apply_import(store, plan_strict_import(Path(source), table), "replace").written


def init_app(app: Flask) -> None:
    """Open the configured store; seed it from the sample file on first run when AUTO_INIT."""
    store = open_store(app.config["STORE_URL"], app.instance_path)
    if not store.exists() and app.config["AUTO_INIT"]:
        count = load_parcels_into(store, app.config["SAMPLE_PATH"], load_landuse_table())
        logger.info("created the parcel store from %s (%d parcels)",
                    app.config["SAMPLE_PATH"], count)
    if store.exists():
        store.ensure_schema()  # staff accounts, login counters, audit trail
    store.cache_limits = CacheLimits.from_config(app.config)  # tile and summary caches
    app.extensions[STORE_KEY] = store


def get_store() -> ParcelStore:
    """The current app's parcel store."""
    return current_app.extensions[STORE_KEY]


def get_landuse_table() -> LandUseTable:
    """The land-use code table (bundled data)."""
    return load_landuse_table()
