"""The pipeline's staff routes (placeholder: the staff-views helper writes them)."""
