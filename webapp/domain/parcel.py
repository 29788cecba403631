"""The parcel record and its attribute schema (names carry units: _m2, _wan, _pct, _m)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from webapp.domain.parcel_schema import ATTRIBUTE_TYPES, REQUIRED_ATTRIBUTES
from webapp.domain.units import m2_to_ha, m2_to_mu

__all__ = ["ATTRIBUTE_TYPES", "REQUIRED_ATTRIBUTES", "STATUSES", "SUPPLY_METHODS", "Parcel",
           "format_range", "parcel_etag"]

STATUSES = ("available", "negotiating", "sold", "reserve")
SUPPLY_METHODS = ("listing", "auction", "tender", "agreement")

RANGES = (("far_min", "far_max"), ("density_min_pct", "density_max_pct"),
          ("green_min_pct", "green_max_pct"))


@dataclass
class Parcel:
    """One land parcel; geometry in lon/lat (EPSG:4326), area in m² from a projected CRS.

    Its fields besides id and geometry are parcel_schema.PARCEL_FIELDS (a test keeps them so).
    """

    id: int
    code: str
    land_use: str
    status: str
    area_m2: float
    geometry: BaseGeometry | None = None
    name: str | None = None
    street: str | None = None
    location: str | None = None
    supply_method: str | None = None
    lease_years: int | None = None
    far_min: float | None = None
    far_max: float | None = None
    density_min_pct: float | None = None
    density_max_pct: float | None = None
    green_min_pct: float | None = None
    green_max_pct: float | None = None
    height_max_m: float | None = None
    price_start_wan: float | None = None
    deposit_wan: float | None = None
    invest_min_wan_per_mu: float | None = None
    tax_min_wan_per_mu: float | None = None
    contact: str | None = None
    note: str | None = None
    land_use_source: str | None = None
    published: bool = True
    version: int = 1
    updated_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def area_mu(self) -> float:
        """Area in 亩."""
        return m2_to_mu(self.area_m2)

    @property
    def area_ha(self) -> float:
        """Area in hectares."""
        return m2_to_ha(self.area_m2)


def format_range(low: float | None, high: float | None, unit: str = "",
                 number: Callable[[float], str] = "{:g}".format, dash: str = " – ") -> str:
    """A planning range as printed on notices: '1 – 1.5', '≥ 1.2', '≤ 25' (— when empty);
    `number` writes each bound (unit after it) and `dash` joins two different bounds."""
    def num(v: float) -> str:
        return f"{number(v)}{unit}"

    if low is not None and high is not None:
        return num(low) if low == high else f"{num(low)}{dash}{num(high)}"
    if low is not None:
        return f"≥ {num(low)}"
    if high is not None:
        return f"≤ {num(high)}"
    return "—"


def parcel_etag(parcel: Parcel) -> str:
    """The strong HTTP entity tag of a parcel's current version (pages and API share it)."""
    return f'"{parcel.id}-{parcel.version}"'
