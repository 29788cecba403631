"""The PostGIS backend: parcels, staff data and summaries in one PostgreSQL schema."""

from webapp.store.postgis.store import PostGISStore

__all__ = ["PostGISStore"]
