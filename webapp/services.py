"""The app's long-lived services (parcel store, land-use table) and accessors for views."""

import logging
from pathlib import Path

from flask import Flask, current_app

from webapp.domain.context import ContextLayer
from webapp.domain.landuse import LandUseTable, load_landuse_table
from webapp.domain.pipeline import ProjectFilter
from webapp.importing.context_layers import load_context_folder
from webapp.importing.pipeline import apply_import, plan_strict_import
from webapp.importing.sample_pipeline import read_sample_pipeline, sample_pipeline_path
from webapp.store import GeoPackageStore, ParcelStore, open_store
from webapp.store.audit_rows import import_actor
from webapp.store.cache_keys import CacheLimits
from webapp.store.schema_check import prepare_schema

logger = logging.getLogger(__name__)
STORE_KEY = "landgis.store"
SAMPLE_ACTOR = "sample"  # who the sample pipeline's `created` audit rows name


def load_parcels_into(store: ParcelStore, source: str | Path, table: LandUseTable) -> int:
    """Replace the store's parcels with a file's, refusing the file if any feature is bad."""
    return apply_import(store, plan_strict_import(Path(source), table), "replace").written


def sample_context_folder(sample_path: str | Path) -> Path:
    """Where the context layers of a sample district live: context/ beside its parcel file."""
    return Path(sample_path).parent / "context"


def load_sample_context_into(store: ParcelStore, sample_path: str | Path) -> list[ContextLayer]:
    """Create or replace the context layers bundled with a sample district (none when its
    folder has no layers.json); the store must exist."""
    store.ensure_schema()
    return load_context_folder(store.context, sample_context_folder(sample_path),
                               import_actor())


def load_sample_pipeline_into(store: ParcelStore, sample_path: str | Path) -> int:
    """Load a sample district's SYNTHETIC pipeline (pipeline.json beside its parcel file, dates
    counted from today) into an empty pipeline; the number of projects loaded (0 without the
    file or when the store already holds enquiries or projects)."""
    path = sample_pipeline_path(sample_path)
    if not path.is_file():
        return 0
    store.ensure_schema()
    pipeline = store.pipeline
    if (pipeline.enquiries(limit=1).number_matched
            or pipeline.projects(ProjectFilter(), limit=1).number_matched):
        return 0
    sample = read_sample_pipeline(path)
    pipeline.load_records(sample.enquiries, sample.projects, sample.notes, sample.problems,
                          SAMPLE_ACTOR)
    return len(sample.projects)


def open_configured_store(config, instance_path: str | Path) -> ParcelStore:
    """The store STORE_URL names; ConfigError for a GeoPackage on a network file system
    unless GPKG_ALLOW_NETWORK_FS (its SQLite locking is unsafe there)."""
    from webapp.store.geopackage.mounts import refuse_network_fs

    store = open_store(config["STORE_URL"], instance_path)
    if isinstance(store, GeoPackageStore) and not config["GPKG_ALLOW_NETWORK_FS"]:
        refuse_network_fs(store.path)
    return store


def init_app(app: Flask) -> None:
    """Open the configured store; seed it from the sample file on first run when AUTO_INIT."""
    store = open_configured_store(app.config, app.instance_path)
    if not store.exists() and app.config["AUTO_INIT"]:
        count = load_parcels_into(store, app.config["SAMPLE_PATH"], load_landuse_table())
        layers = load_sample_context_into(store, app.config["SAMPLE_PATH"])
        projects = load_sample_pipeline_into(store, app.config["SAMPLE_PATH"])
        logger.info("created the parcel store from %s (%d parcels, %d context layers, "
                    "%d sample projects)", app.config["SAMPLE_PATH"], count, len(layers),
                    projects)
    if store.exists():
        prepare_schema(store, app.config["MIGRATE_ON_START"])  # refuse or migrate
    store.cache_limits = CacheLimits.from_config(app.config)  # tile and summary caches
    app.extensions[STORE_KEY] = store


def get_store() -> ParcelStore:
    """The current app's parcel store."""
    return current_app.extensions[STORE_KEY]


def get_landuse_table() -> LandUseTable:
    """The land-use code table (bundled data)."""
    return load_landuse_table()
