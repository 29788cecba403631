"""Pure-Python parcel domain: records, land-use table, units, areas and filters (no Flask)."""
