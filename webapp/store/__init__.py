"""Parcel stores behind one interface: GeoPackage (default) and PostGIS."""

from pathlib import Path

from webapp.domain.errors import ConfigError
from webapp.store.base import LandUseShare, ParcelPage, ParcelStore
from webapp.store.geopackage import GeoPackageStore

__all__ = ["GeoPackageStore", "LandUseShare", "ParcelPage", "ParcelStore", "open_store"]


def open_store(url: str, instance_path: str | Path) -> ParcelStore:
    """The store a STORE_URL names: a .gpkg path (relative to the instance folder) or a DB URL."""
    if url.startswith(("postgresql://", "postgres://")):
        from webapp.store.postgis import PostGISStore  # psycopg loads only when it is used

        return PostGISStore(url)
    path = Path(url.removeprefix("gpkg:"))
    if path.suffix.lower() != ".gpkg":
        raise ConfigError(f"LANDGIS_STORE_URL: “{url}” is neither a .gpkg path nor a "
                          "postgresql:// URL")
    return GeoPackageStore(path if path.is_absolute() else Path(instance_path) / path)
