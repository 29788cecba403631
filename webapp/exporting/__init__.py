"""Export filtered parcels as GeoJSON, GeoPackage or CSV (areas in m², 亩 and ha), streamed
in chunks, at most EXPORT_MAX_CONCURRENT at once."""
