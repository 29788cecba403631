"""Site selection (项目选址): an investor's requirement → a ranked shortlist of parcels, and
groups of adjacent small parcels, each with the reasons it was ranked so (pure, no Flask)."""
