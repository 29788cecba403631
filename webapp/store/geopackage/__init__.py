"""The embedded GeoPackage backend: one SQLite/GeoPackage file holds parcels, staff and caches."""

from webapp.store.geopackage.store import GeoPackageStore

__all__ = ["GeoPackageStore"]
