"""The ParcelStore interface every backend implements, and the records it returns."""

from abc import ABC, abstractmethod
from dataclasses import dataclass, replace

import geopandas as gpd

from webapp.domain.filters import ParcelFilter
from webapp.domain.parcel import Parcel
from webapp.store.upsert import UpsertResult
from webapp.tiles.grid import TileAddress, tile_bounds
from webapp.tiles.mvt import BUFFER_FRACTION, encode_parcel_tile

Bounds = tuple[float, float, float, float]


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


class ParcelStore(ABC):
    """Where parcels live. Geometry is lon/lat (EPSG:4326); areas are m² computed at load time.

    Backends differ only inside webapp.store; callers use these methods alone.
    """

    @abstractmethod
    def query(self, parcel_filter: ParcelFilter, limit: int | None = None, offset: int = 0,
              with_geometry: bool = True) -> ParcelPage:
        """Parcels matching the filter ordered by code, one page of them, and the match count."""

    @abstractmethod
    def get(self, key: int | str, include_drafts: bool = False) -> Parcel | None:
        """One parcel by numeric id or by code (宗地编号), or None."""

    @abstractmethod
    def bounds(self, parcel_filter: ParcelFilter | None = None) -> Bounds | None:
        """(minlon, minlat, maxlon, maxlat) of the matching parcels, None when nothing matches."""

    @abstractmethod
    def landuse_breakdown(self, parcel_filter: ParcelFilter | None = None) -> list[LandUseShare]:
        """Count and area per land-use code of the matching parcels, largest area first."""

    @abstractmethod
    def streets(self) -> list[str]:
        """The distinct streets of published parcels, sorted."""

    @abstractmethod
    def count(self, include_drafts: bool = True) -> int:
        """Number of parcels stored."""

    @abstractmethod
    def replace_all(self, parcels: gpd.GeoDataFrame) -> int:
        """Atomically replace every parcel with a prepared frame; returns the parcel count.

        The frame must come from webapp.importing.prepare (parcel schema, EPSG:4326, area_m2).
        Readers see either the old or the new parcels, never a mix.
        """

    @abstractmethod
    def upsert(self, parcels: gpd.GeoDataFrame) -> UpsertResult:
        """In one transaction, update the parcels whose code exists and insert the others.

        Changed parcels get version + 1; the result lists every changed field.
        """

    def code_ids(self) -> dict[str, int]:
        """Parcel code → id for every stored parcel, drafts included."""
        page = self.query(ParcelFilter(include_drafts=True), with_geometry=False)
        return {p.code: p.id for p in page.parcels}

    def exists(self) -> bool:
        """Whether the store holds a parcel table yet."""
        return True

    def tile(self, z: int, x: int, y: int, parcel_filter: ParcelFilter) -> bytes:
        """One WebMercatorQuad Mapbox Vector Tile (layer `parcels`) of the matching parcels.

        x is the column and y the row (from the north-west). This default queries the tile's
        buffered bounds and encodes in Python; a database backend may override it natively
        (e.g. PostGIS ST_AsMVT). Raises webapp.tiles.grid.TileNotFoundError outside the grid.
        """
        address = TileAddress(z, x, y)
        in_tile = replace(parcel_filter, bbox=tile_bounds(address, BUFFER_FRACTION))
        return encode_parcel_tile(self.query(in_tile, with_geometry=True).parcels, address)
