"""The store interfaces every backend implements: ParcelStore (parcels, edits and their audit
trail) and StaffStore (accounts, login throttling), reached as `store.staff`."""

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from webapp.domain.accounts import LoginAttempt, StaffUser
from webapp.domain.audit import ChangeFilter, ChangePage, ParcelChange
from webapp.domain.filters import ParcelFilter
from webapp.domain.parcel import Parcel
from webapp.store.attachment_store import AttachmentStore
from webapp.store.backup_store import StoreBackups
from webapp.store.context_store import ContextStore
from webapp.store.feature_page import (
    FEATURE_COLUMNS,
    GEOJSON_DECIMALS,
    FeaturePage,
    FeatureRow,
    geojson_of_geometries,
)
from webapp.store.import_effect import ImportEffect
from webapp.store.import_profiles import ImportProfileStore
from webapp.store.kept_summaries import KeptSummaries
from webapp.store.pipeline_store import PipelineStore
from webapp.store.records import PARCEL_CHUNK, Bounds, LandUseShare, ParcelPage, UpsertResult
from webapp.tiles.grid import TileAddress, tile_bounds
from webapp.tiles.mvt import BUFFER_FRACTION, encode_parcel_tile

if TYPE_CHECKING:
    from webapp.store.migrations import Migration


class StaffStore(ABC):
    """Staff accounts and login-attempt counters, beside the parcels so every server process
    sees the same counters."""

    @abstractmethod
    def add_user(self, name: str, role: str, password_hash: str) -> StaffUser:
        """Create an active account; InvalidEditError when the name (any case) is taken."""

    @abstractmethod
    def get_user(self, key: int | str) -> StaffUser | None:
        """An account by id or by name (any case), or None."""

    @abstractmethod
    def users(self) -> list[StaffUser]:
        """Every account, by name."""

    @abstractmethod
    def update_user(self, user_id: int, role: str | None = None, active: bool | None = None,
                    password_hash: str | None = None) -> StaffUser:
        """Change an account; a new password also ends its sessions (login_epoch + 1).

        InvalidEditError when the change would leave no active admin.
        """

    @abstractmethod
    def reserve_login_attempt(self, limits: dict[str, int], window_s: int,
                              now_s: float) -> LoginAttempt:
        """Count a login attempt against each key, unless a key already has its limit of
        attempts within the last window_s seconds (then nothing is counted and the answer says
        how long to wait). Counting before the password is checked keeps the limit exact
        when several processes check passwords at once.
        """

    @abstractmethod
    def release_login_attempt(self, token: str, clear_keys: tuple[str, ...] = ()) -> None:
        """Uncount a successful attempt and forget earlier failures of clear_keys."""


class ParcelStore(ABC):
    """Where parcels live. Geometry is lon/lat (EPSG:4326); areas are m² computed at load time.

    Backends differ only inside webapp.store; callers use these methods (and `staff`) alone.
    """

    staff: StaffStore
    context: ContextStore  # context layers (roads, river, interchanges...) beside the parcels
    pipeline: PipelineStore  # enquiries, projects and problems (staff-only)
    attachments: AttachmentStore  # parcel photos and documents, by parcel code
    import_profiles: ImportProfileStore  # saved import mappings, by name and file layout
    summaries: KeptSummaries  # bounds and land-use breakdown, through the backend's cache
    backups: StoreBackups  # consistent copies, their checks and restores (landgis backup)

    @abstractmethod
    def query(self, parcel_filter: ParcelFilter, limit: int | None = None, offset: int = 0,
              with_geometry: bool = True, sort: str = "code",
              after_code: str | None = None) -> ParcelPage:
        """Parcels matching the filter in a sort order of webapp.domain.parcel_order (code by
        default), one page of them, and the match count (kept per store generation for the
        filters summaries keep: KeptSummaries.matched).

        after_code makes it a keyset page (code order only, ValueError otherwise): the parcels
        after that code, `offset` of them skipped; its cost does not grow with the position.
        A large offset in code order starts from kept milestones (webapp.store.page_start)."""

    def feature_page(self, parcel_filter: ParcelFilter, limit: int | None = None,
                     offset: int = 0, sort: str = "code", after_code: str | None = None,
                     decimals: int = GEOJSON_DECIMALS) -> FeaturePage:
        """The page query() gives, as the API writes it: each parcel's FEATURE_COLUMNS values
        and its geometry as GeoJSON text (coordinates rounded to `decimals`), no Parcel built
        per row by the backends (this default builds them)."""
        page = self.query(parcel_filter, limit, offset, True, sort, after_code)
        geometries = geojson_of_geometries([p.geometry for p in page.parcels], decimals)
        return FeaturePage(
            [FeatureRow(p.id, p.code, tuple(getattr(p, name) for name in FEATURE_COLUMNS), g)
             for p, g in zip(page.parcels, geometries, strict=True)],
            page.number_matched, page.total_area_m2)

    @abstractmethod
    def parcels_after(self, parcel_filter: ParcelFilter, after_id: int | None, limit: int,
                      with_geometry: bool = True) -> list[Parcel]:
        """Up to `limit` matching parcels whose id is above after_id (None: from the first), in
        id order: one keyset page, read in one short statement."""

    @abstractmethod
    def attribute_table(self, parcel_filter: ParcelFilter, columns: Sequence[str],
                        limit: int) -> pd.DataFrame:
        """Up to `limit` matching parcels as one frame of `id` and the named stored columns
        (PARCEL_COLUMNS only; ValueError otherwise), no geometry, in no particular order, so
        the database reads them through its best index and no Parcel is built per row (what
        site selection ranks). Ask for one more than you accept to learn whether more match."""

    def iter_parcels(self, parcel_filter: ParcelFilter, chunk_size: int = PARCEL_CHUNK,
                     with_geometry: bool = True) -> Iterator[list[Parcel]]:
        """Every matching parcel in id order, a list of at most chunk_size at a time.

        Each chunk is its own keyset read (id > the last id seen), so memory does not grow with
        the district and no read stays open while the caller writes a chunk out. Parcels
        changed while the iteration runs show in their state when their chunk is read.
        """
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
        after_id = None
        while True:
            chunk = self.parcels_after(parcel_filter, after_id, chunk_size, with_geometry)
            if chunk:
                yield chunk
            if len(chunk) < chunk_size:
                return
            after_id = chunk[-1].id

    @abstractmethod
    def get(self, key: int | str, include_drafts: bool = False) -> Parcel | None:
        """One parcel by numeric id or by code (宗地编号), or None."""

    def bounds(self, parcel_filter: ParcelFilter | None = None) -> Bounds | None:
        """(minlon, minlat, maxlon, maxlat) of the matching parcels, None when nothing matches
        (kept by the backend's summary cache until parcels change)."""
        return self.summaries.bounds(parcel_filter)

    def landuse_breakdown(self, parcel_filter: ParcelFilter | None = None) -> list[LandUseShare]:
        """Count and area per land-use code of the matching parcels, largest area first."""
        return self.summaries.landuse_breakdown(parcel_filter)

    @abstractmethod
    def streets(self) -> list[str]:
        """The distinct streets of published parcels, sorted."""

    @abstractmethod
    def count(self, include_drafts: bool = True) -> int:
        """Number of parcels stored."""

    @abstractmethod
    def replace_all(self, parcels: gpd.GeoDataFrame, actor: str | None = None,
                    keep_published: bool = False, source_name: str | None = None) -> int:
        """Atomically replace every parcel with a prepared frame; returns the parcel count.

        `actor` is who the audit trail records (default: the operating-system user, "import").
        With keep_published, a parcel whose code was stored keeps its published flag (a draft
        stays a draft) and the frame's flag applies to new codes only. Unless the store held
        no parcel, each parcel created or removed gets a `created`/`removed` audit record whose
        new value is source_name (the imported file's name).

        The frame must come from webapp.importing.prepare (parcel schema, EPSG:4326, area_m2).
        Readers see either the old or the new parcels, never a mix.
        """

    @abstractmethod
    def upsert(self, parcels: gpd.GeoDataFrame, actor: str | None = None,
               publish_existing: bool = False, source_name: str | None = None) -> UpsertResult:
        """In one transaction, update the parcels whose code exists and insert the others.

        `actor` is who the audit trail records (default: the operating-system user, "import").
        Stored parcels keep their published flag unless publish_existing (then drafts of the
        frame are published, an audited change).

        Changed parcels get version + 1; the result lists every changed field. Unless the
        store held no parcel, each inserted parcel gets a `created` audit record whose new
        value is source_name (the imported file's name).
        """

    def import_effect(self, parcels: gpd.GeoDataFrame,
                      publish_existing: bool = False) -> ImportEffect:
        """What writing a prepared frame would do, nothing written: new, changed and unchanged
        parcels by code (as upsert decides) and the stored parcels the frame lacks (what
        replace_all removes); reads only the stored parcels the frame names, a chunk at a time
        (webapp.store.import_effect)."""
        raise NotImplementedError  # each backend reads its own rows

    # Versioned edits with their audit trail: they live next to the parcels so an edit and its
    # audit records commit in one transaction.

    @abstractmethod
    def ensure_schema(self) -> None:
        """Bring the store's tables up to date: create what is missing (staff tables, audit
        trail, caches, indexes) in one explicit sequence."""

    @abstractmethod
    def update_parcel(self, parcel_id: int, changes: dict[str, object],
                      expected_version: int | None, actor: str, source: str) -> Parcel:
        """Apply typed attribute changes in one transaction with one audit record per changed field.

        Raises NotFoundError for an unknown id and ConflictError (with the stored parcel as
        `current`) when `expected_version` is not the stored version; None skips that check.
        Unchanged values are not written; any change increments the version.
        """

    @abstractmethod
    def changes(self, change_filter: ChangeFilter, limit: int = 50,
                offset: int = 0) -> ChangePage:
        """Audit records matching the filter, newest first, and how many match in all."""

    @abstractmethod
    def get_change(self, change_id: int) -> ParcelChange | None:
        """One audit record by id, or None."""

    def code_ids(self) -> dict[str, int]:
        """Parcel code → id for every stored parcel, drafts included."""
        page = self.query(ParcelFilter(include_drafts=True), with_geometry=False)
        return {p.code: p.id for p in page.parcels}

    def exists(self) -> bool:
        """Whether the store holds a parcel table yet."""
        return True

    def schema_version(self) -> int:
        """The layout version recorded in the store (webapp.store.schema_version); a store
        made before versions were recorded counts as version 1 once ensure_schema has run."""
        raise NotImplementedError  # each backend reads its own record (issue 22)

    def migrate(self, migrations: Sequence["Migration"] | None = None) -> list[int]:
        """Apply the numbered migrations the store lacks (webapp.store.migrations), each in
        one transaction; the versions applied. SchemaTooNewError for a newer store."""
        raise NotImplementedError  # each backend runs them on its own connections (issue 22)

    def warm_summaries(self) -> None:
        """Compute and keep the map page's summaries now (after an import)."""
        self.summaries.warm()

    def close(self) -> None:
        """Release held resources such as a connection pool (a later call may reopen them)."""
        return None  # an embedded store holds nothing open between calls

    def tile(self, z: int, x: int, y: int, parcel_filter: ParcelFilter) -> bytes:
        """One WebMercatorQuad Mapbox Vector Tile (layer `parcels`) of the matching parcels.

        x is the column and y the row (from the north-west). This default queries the parcels in
        the tile's buffered bounds and encodes them with webapp.tiles.mvt.encode_parcel_tile
        (the compiled writer GeoPackage tiles use too); a backend may answer otherwise (the
        GeoPackage tile cache, PostGIS ST_AsMVT). Raises webapp.tiles.grid.TileNotFoundError
        outside the grid.
        """
        address = TileAddress(z, x, y)
        in_tile = replace(parcel_filter, bbox=tile_bounds(address, BUFFER_FRACTION))
        return encode_parcel_tile(self.query(in_tile, with_geometry=True).parcels, address)
