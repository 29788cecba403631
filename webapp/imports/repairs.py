"""The parcels an import repaired, with their area before and after the repair.

A self-intersecting outline (a bow-tie: two corners swapped) has no area of its own to measure:
its signed parts cancel. What the surveyor drew spans the outline's corners, so the area
"before" is that of the convex hull of the corners (the repaired polygons keep every corner),
and the area after is the repaired polygons'. A bow-tie repaired into two triangles shows half
of its outline's area.
"""

from dataclasses import dataclass

import geopandas as gpd

from webapp.domain.area import compute_areas_m2
from webapp.domain.units import m2_to_mu
from webapp.importing.report import REPAIRED, ImportReport

MAX_REPAIRS_SHOWN = 500
LOST_SHARE = 0.9  # a repair keeping less than this share of the outline's area is flagged


@dataclass(frozen=True)
class RepairedParcel:
    """One repaired row: its file row, code and areas (m²) before and after the repair."""

    row: int
    code: str
    outline_m2: float
    area_m2: float

    @property
    def outline_mu(self) -> float:
        """The outline's area in 亩."""
        return m2_to_mu(self.outline_m2)

    @property
    def area_mu(self) -> float:
        """The repaired area in 亩."""
        return m2_to_mu(self.area_m2)

    @property
    def kept_pct(self) -> float:
        """The repaired area as a percentage of the outline's."""
        return 100.0 * self.area_m2 / self.outline_m2 if self.outline_m2 else 100.0

    @property
    def lost_area(self) -> bool:
        """Whether the repair kept markedly less than the outline's area."""
        return self.kept_pct < 100.0 * LOST_SHARE


def repaired_parcels(report: ImportReport, parcels: gpd.GeoDataFrame,
                     limit: int = MAX_REPAIRS_SHOWN) -> list[RepairedParcel]:
    """The first `limit` repaired rows of a planned import (parcels: its lon/lat frame), those
    that lost most of their outline's area first."""
    rows = {r.code: r.row for r in report.rows if r.outcome == REPAIRED and r.code}
    if not rows:
        return []
    chosen = parcels[parcels["code"].isin(rows)].head(limit)
    outlines = compute_areas_m2(chosen.geometry.convex_hull)
    repaired = [RepairedParcel(rows[code], code, float(outline), float(area))
                for code, outline, area in zip(chosen["code"], outlines, chosen["area_m2"],
                                               strict=True)]
    return sorted(repaired, key=lambda r: (r.kept_pct, r.row))
