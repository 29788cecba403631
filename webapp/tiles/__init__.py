"""Vector tiles: the WebMercatorQuad tile grid and Mapbox Vector Tile encoding (no flask here)."""
