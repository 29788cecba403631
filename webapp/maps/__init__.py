"""Folium map building: pure functions, no Flask."""
