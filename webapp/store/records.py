"""The records the stores return: pages of parcels, summaries, what an upsert did."""

from dataclasses import dataclass, field

from webapp.domain.parcel import Parcel

Bounds = tuple[float, float, float, float]
# Default parcels per iter_parcels step; callers that hold much per parcel pass fewer.
PARCEL_CHUNK = 5000


@dataclass(frozen=True)
class ParcelPage:
    """One page of a filtered query and how many parcels match in all."""

    parcels: list[Parcel]
    number_matched: int
    total_area_m2: float


@dataclass(frozen=True)
class LandUseShare:
    """Count and area of the parcels of one land-use code."""

    land_use: str
    count: int
    area_m2: float


@dataclass(frozen=True)
class FieldChange:
    """One field of one parcel changed by a write."""

    parcel_id: int
    field: str
    old: object
    new: object


@dataclass
class UpsertResult:
    """What an upsert did: parcel counts and every changed field."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[FieldChange] = field(default_factory=list)
    created: list[tuple[int, str]] = field(default_factory=list)  # (id, code) of each insert

    def add(self, other: "UpsertResult") -> None:
        """Count in what another part of the same upsert did."""
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.changes += other.changes
        self.created += other.created
