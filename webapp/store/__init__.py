"""Parcel stores behind one interface: GeoPackage (default, store.geopackage) and PostGIS
(store.postgis); the modules beside them are shared by both backends."""

import re
from pathlib import Path

from webapp.domain.errors import ConfigError
from webapp.store.geopackage.store import GeoPackageStore
from webapp.store.interface import ParcelStore, StaffStore
from webapp.store.records import LandUseShare, ParcelPage
from webapp.store.redaction import redact_url

__all__ = ["GeoPackageStore", "LandUseShare", "ParcelPage", "ParcelStore", "StaffStore",
           "open_store", "redact_url"]

POSTGIS_SCHEMES = ("postgresql://", "postgres://")  # the URI prefixes libpq accepts
OTHER_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:/")  # a URL, not a (Windows) file path


def open_store(url: str, instance_path: str | Path) -> ParcelStore:
    """The store a STORE_URL names: a .gpkg path (relative to the instance folder) or a
    postgresql:// URL. ConfigError (password masked) for anything else."""
    if url.startswith(POSTGIS_SCHEMES):
        from webapp.store.postgis.store import PostGISStore  # psycopg loads only when it is used

        return PostGISStore(url)
    path = Path(url.removeprefix("gpkg:"))
    is_url = bool(OTHER_SCHEME.match(url)) and not url.startswith("gpkg:")
    if is_url or path.suffix.lower() != ".gpkg":
        scheme = url.partition(":")[0] if is_url else ""
        raise ConfigError(f"LANDGIS_STORE_URL: “{redact_url(url)}” is neither a .gpkg path nor "
                          "a postgresql:// URL" + (f" (scheme “{scheme}”)" if scheme else ""))
    return GeoPackageStore(path if path.is_absolute() else Path(instance_path) / path)
