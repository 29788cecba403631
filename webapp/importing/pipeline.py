"""Plan an import (read, decide encoding and CRS, map fields, validate) and apply it to a store."""

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from webapp.domain.errors import DataFileError
from webapp.domain.landuse import LandUseTable
from webapp.importing.archive import DEFAULT_LIMITS, ArchiveLimits
from webapp.importing.crs import CrsChoice, choose_crs
from webapp.importing.duplicates import flag_duplicate_geometries
from webapp.importing.encoding import choose_dbf_encoding
from webapp.importing.field_survey import field_samples, merge_unknown_values, unknown_values
from webapp.importing.fields import resolve_mapping
from webapp.importing.layer_reader import LayerReader
from webapp.importing.mapping import ImportMapping
from webapp.importing.prepare import build_parcel_frame
from webapp.importing.report import REJECTED, ImportReport
from webapp.importing.rows import validate_rows
from webapp.importing.service_area import CHINA, ServiceArea, check_in_service_area
from webapp.importing.source import FORMAT_NAMES, choose_layer, open_dataset
from webapp.importing.street_fill import fill_streets
from webapp.store.interface import ParcelStore

MODES = ("replace", "upsert")
CHUNK_ROWS = 50_000
# GeoJSON up to this size is parsed once in Python for a line-and-column message when broken;
# larger files are left to GDAL's streaming reader (json.load would hold ~10x the file).
JSON_CHECK_MAX_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class ImportOptions:
    """Choices a user can make: layer, CRS, encoding, mapping (fields, values, defaults),
    drafts, the service area features must fall in (service_area_from: setting or store) and
    whether duplicate geometries are rejected (otherwise accepted with a warning).

    `published` is the flag of new parcels (False: import them as drafts); `publish_existing`
    also publishes stored drafts the file holds (otherwise stored parcels keep their flag).
    """

    layer: str | None = None
    crs: str | None = None
    encoding: str | None = None
    mapping: ImportMapping = field(default_factory=ImportMapping)
    published: bool = True
    publish_existing: bool = False
    service_area: ServiceArea = CHINA
    reject_duplicates: bool = False


@dataclass
class ImportPlan:
    """A validated import: the parcels to write and the report; nothing written yet."""

    parcels: gpd.GeoDataFrame
    report: ImportReport


def _check_json(path: Path) -> None:
    try:
        with path.open(encoding="utf-8-sig") as f:
            json.load(f)
    except UnicodeDecodeError as error:
        raise DataFileError(f"{path.name}: not UTF-8 text ({error.reason})") from None
    except json.JSONDecodeError as error:
        raise DataFileError(f"{path.name}: invalid JSON at line {error.lineno}, column "
                            f"{error.colno}: {error.msg}") from None


def open_layer(path: Path, layer: str | None, encoding: str | None, workdir: Path,
               report: ImportReport, limits: ArchiveLimits, family: str = "polygon") -> LayerReader:
    """Open the chosen layer (of the geometry family) of a file, its Shapefile encoding decided;
    format, layer and encoding go into the report. DataFileError when unusable or empty."""
    if path.is_file() and 0 < path.stat().st_size <= JSON_CHECK_MAX_BYTES:
        with path.open("rb") as f:
            if f.read(1) in (b"{", b"\xef"):
                _check_json(path)
    dataset = open_dataset(path, workdir, limits, family)
    report.file_format = FORMAT_NAMES[dataset.file_format]
    report.layer = choose_layer(dataset, layer, path.name)
    dbf_encoding = None  # GeoJSON and GeoPackage text is UTF-8 by definition
    if dataset.path.suffix.lower() == ".shp":
        choice = choose_dbf_encoding(dataset.path, encoding)
        dbf_encoding, report.encoding = choice.encoding, f"{choice.encoding} ({choice.reason})"
    reader = LayerReader.open(dataset.path, report.layer, dbf_encoding, path.name,
                              dataset.file_format)
    if reader.count == 0:
        raise DataFileError(f"{path.name}: layer {report.layer} holds no features")
    if reader.bounds is None:
        raise DataFileError(f"{report.source}: no feature has a geometry")
    return reader


def lonlat_chunk(raw: gpd.GeoDataFrame, choice: CrsChoice,
                 area: ServiceArea = CHINA) -> gpd.GeoDataFrame:
    """A chunk of features reprojected from the chosen CRS to lon/lat (EPSG:4326); refused
    when they land outside the service area (the CRS must be wrong)."""
    lonlat = raw.set_crs(choice.crs, allow_override=True).to_crs(4326).reset_index(drop=True)
    placed = lonlat.geometry[lonlat.geometry.notna() & ~lonlat.geometry.is_empty]
    if not placed.empty:
        check_in_service_area(placed.total_bounds, area,
                              f"{choice.crs.to_string()} ({choice.reason})")
    return lonlat


def plan_import(path: Path, table: LandUseTable, options: ImportOptions = ImportOptions(),
                progress: Callable[[int, int], None] | None = None,
                limits: ArchiveLimits = DEFAULT_LIMITS) -> ImportPlan:
    """Read and validate a whole file; DataFileError when the file as a whole is unusable."""
    report = ImportReport(source=path.name, file_format="")
    with tempfile.TemporaryDirectory(prefix="landgis-import-") as workdir:
        reader = open_layer(path, options.layer, options.encoding, Path(workdir), report,
                            limits)
        choice = choose_crs(reader.crs, reader.bounds, options.crs)
        report.crs = f"{choice.crs.name} ({choice.crs.to_string()}; {choice.reason})"
        report.mapping = resolve_mapping(reader.columns, options.mapping.fields)
        if "code" not in report.mapping.values():
            raise DataFileError(f"{path.name}: no field holds the parcel code (宗地编号); map "
                                f"one with a mapping file. Fields: {', '.join(reader.columns)}")
        parcels = validate_in_chunks(reader, choice, report, table, options, progress)
    parcels = flag_duplicate_geometries(parcels, report, options.reject_duplicates)
    return ImportPlan(parcels, report)


def plan_strict_import(path: Path, table: LandUseTable) -> ImportPlan:
    """A plan of a file that must be flawless (landgis init, fixtures): the first rejected row
    is a DataFileError naming the feature and the reason."""
    plan = plan_import(path, table)
    rejected = [r for r in plan.report.rows if r.outcome == REJECTED]
    if rejected:
        raise DataFileError(f"{path.name}: feature {rejected[0].row}: {rejected[0].message}")
    return plan


def validate_in_chunks(reader: LayerReader, choice: CrsChoice, report: ImportReport,
                       table: LandUseTable, options: ImportOptions,
                       progress=None) -> gpd.GeoDataFrame:
    """Read, reproject, validate and convert CHUNK_ROWS features at a time, so neither the
    file's features nor per-row Python objects exist for a whole large file at once. The
    report also gets the samples of each field and the values the mapping leaves unknown."""
    seen: dict[str, int] = {}
    pieces = []
    for first_row, raw in reader.chunks(CHUNK_ROWS):
        if first_row == 1:
            report.field_samples = field_samples(raw)
        report.unknown_values = merge_unknown_values(
            report.unknown_values, unknown_values(raw, options.mapping, table))
        chunk = lonlat_chunk(raw, choice, options.service_area)
        del raw
        good, outcomes = validate_rows(chunk, report.mapping, table, progress, first_row, seen,
                                       reader.count, options.mapping)
        report.rows += outcomes
        pieces.append(build_parcel_frame(good, options.published))
        del good, outcomes, chunk
    parcels = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]
    parcels["id"] = range(1, len(parcels) + 1)
    return gpd.GeoDataFrame(parcels, geometry="geometry", crs=4326)


@dataclass(frozen=True)
class ImportResult:
    """What an applied import wrote."""

    mode: str
    written: int
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def keep_known_ids(parcels: gpd.GeoDataFrame, known: dict[str, int]) -> gpd.GeoDataFrame:
    """Give parcels whose code is already stored their old id (links stay valid), others new ids.

    The frame is shallow-copied: only its id column is new (pandas copy-on-write).
    """
    frame = parcels.copy(deep=False)
    next_id = max(known.values(), default=0) + 1
    ids = []
    for code in frame["code"]:
        if code in known:
            ids.append(known[code])
        else:
            ids.append(next_id)
            next_id += 1
    frame["id"] = ids
    return frame


def fill_plan_streets(plan: ImportPlan, store: ParcelStore) -> int:
    """Fill the missing streets of the plan's parcels from the store's street-boundary layers
    (counted in the report); 0 when the store has none yet. Filled streets stay filled, so a
    second call fills nothing more."""
    filled = fill_streets(plan.parcels, store.context) if store.exists() else 0
    plan.report.streets_filled += filled
    return filled


def apply_import(store: ParcelStore, plan: ImportPlan, mode: str,
                 actor: str | None = None, publish_existing: bool = False) -> ImportResult:
    """Write a validated plan: 'replace' all parcels or 'upsert' by code, in one transaction.

    `actor` is who the audit trail records (a staff member's name for web imports). Parcels
    already stored keep their published flag (drafts stay drafts) unless publish_existing.
    Parcels without a street get one from the store's street boundaries first.
    """
    if mode not in MODES:
        raise ValueError(f"unknown import mode {mode!r}")
    if plan.parcels.empty:
        raise DataFileError(f"{plan.report.source}: no row can be imported; nothing was written")
    fill_plan_streets(plan, store)
    if mode == "replace" or not store.exists():
        known = store.code_ids() if store.exists() else {}
        written = store.replace_all(keep_known_ids(plan.parcels, known), actor,
                                    keep_published=not publish_existing,
                                    source_name=plan.report.source)
        return ImportResult("replace", written, inserted=written)
    result = store.upsert(plan.parcels, actor, publish_existing=publish_existing,
                          source_name=plan.report.source)
    return ImportResult("upsert", result.inserted + result.updated, result.inserted,
                        result.updated, result.unchanged)


def dataset_layers(path: Path, limits: ArchiveLimits = DEFAULT_LIMITS,
                   family: str = "polygon") -> list[str]:
    """The layers of a geometry family (polygon, line or point) in a file, or [] when it cannot
    be opened (for choosing a layer)."""
    try:
        with tempfile.TemporaryDirectory(prefix="landgis-import-") as workdir:
            return open_dataset(path, Path(workdir), limits, family).layers
    except DataFileError:
        return []
