"""Plan a context-layer import (roads, the river bank, interchanges, street boundaries...) from
the same files as parcels with the same checks (allow-listed drivers, archive limits, .dbf
encoding, CRS choice inside China, reprojection to EPSG:4326), check each geometry for the
layer's family, pick the name and class fields, and write it as one atomic layer replace."""

import json
import math
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from webapp.domain.context import CONTEXT_KINDS, ContextLayer, check_layer
from webapp.domain.errors import DataFileError
from webapp.importing.archive import DEFAULT_LIMITS, ArchiveLimits
from webapp.importing.attributes import RowError
from webapp.importing.crs import choose_crs
from webapp.importing.pipeline import lonlat_chunk, open_layer
from webapp.importing.polygons import check_geometry
from webapp.importing.report import ACCEPTED, REJECTED, REPAIRED, ImportReport, RowOutcome
from webapp.importing.service_area import CHINA, ServiceArea
from webapp.store.context_store import ContextStore

# Field names guessed for the feature name and class, compared case-insensitively, in order.
NAME_FIELDS = ("name", "名称", "名字", "mc", "name_zh", "title")
CLASS_FIELDS = ("class", "fclass", "等级", "类别", "类型", "type", "dj", "lx", "kind")
MANIFEST = "layers.json"  # a folder of bundled layers: {"layers": [{name, title, kind, file}]}
MAX_FEATURES = 100_000  # a context layer is a backdrop, not a district: more is a wrong file
MAX_TEXT = 200  # characters kept of a feature's name or class
CHUNK_ROWS = 50_000
LINE_TYPES = ("LineString", "MultiLineString")
POINT_TYPES = ("Point", "MultiPoint")


@dataclass(frozen=True)
class ContextImportOptions:
    """Choices a user can make: layer, CRS, encoding, and the name and class fields (guessed
    from NAME_FIELDS and CLASS_FIELDS when not given); the service area features must fall in."""

    layer: str | None = None
    crs: str | None = None
    encoding: str | None = None
    name_field: str | None = None
    class_field: str | None = None
    service_area: ServiceArea = CHINA


@dataclass
class ContextPlan:
    """A validated context-layer import: the layer, its features (EPSG:4326, columns name,
    feature_class, geometry) and the report; nothing written yet."""

    layer: ContextLayer
    features: gpd.GeoDataFrame
    report: ImportReport


def choose_field(columns: Sequence[str], chosen: str | None, guesses: Sequence[str],
                 role: str, source: str) -> str | None:
    """The field the user named (DataFileError when the file has none such), else the first
    column matching a guess (case-insensitive), else None."""
    if chosen:
        if chosen not in columns:
            raise DataFileError(f"{source}: no field “{chosen}” for the feature {role}; fields: "
                                f"{', '.join(columns) or '(none)'}")
        return chosen
    lowered: dict[str, str] = {}
    for column in columns:
        lowered.setdefault(column.strip().lower(), column)
    return next((lowered[guess] for guess in guesses if guess in lowered), None)


def feature_text(value: object) -> tuple[str | None, str]:
    """A feature's name or class as text (None when blank) and a note when it was shortened."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None, ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        return None, ""
    if len(text) > MAX_TEXT:
        return text[:MAX_TEXT], f"text shortened to {MAX_TEXT} characters"
    return text, ""


def _check_line(geometry: BaseGeometry) -> tuple[BaseGeometry, str]:
    if geometry.geom_type not in LINE_TYPES:
        raise RowError(f"geometry is a {geometry.geom_type}, not a line")
    if geometry.is_valid and geometry.length > 0:
        return geometry, ""
    parts = shapely.get_parts(geometry)
    kept = [part for part in parts if part.is_valid and part.length > 0]
    if not kept:
        reason = shapely.is_valid_reason(geometry) if not geometry.is_valid else "zero length"
        raise RowError(f"a line without length ({reason})")
    line = kept[0] if len(kept) == 1 else shapely.multilinestrings(kept)
    return line, f"repaired line: dropped {len(parts) - len(kept)} part(s) without length"


def _check_point(geometry: BaseGeometry) -> tuple[BaseGeometry, str]:
    if geometry.geom_type not in POINT_TYPES:
        raise RowError(f"geometry is a {geometry.geom_type}, not a point")
    if not np.isfinite(shapely.get_coordinates(geometry)).all():
        raise RowError("a point without finite coordinates")
    return geometry, ""


def check_family_geometry(geometry: BaseGeometry | None, family: str) -> tuple[BaseGeometry, str]:
    """A 2-D geometry of the family (line, point or polygon) and a repair note ('' when none was
    needed), or RowError: polygons as the parcel importer checks them (invalid ones repaired),
    lines without length and other families refused."""
    if geometry is None or geometry.is_empty:
        raise RowError("empty geometry")
    geometry = shapely.force_2d(geometry)
    if family == "polygon":
        return check_geometry(geometry)
    if family == "line":
        return _check_line(geometry)
    return _check_point(geometry)


def _check_chunk(chunk: gpd.GeoDataFrame, first_row: int, family: str, fields: dict[str, str],
                 report: ImportReport) -> list[dict]:
    """The chunk's importable features as records; one outcome a row goes into the report."""
    records = []
    source_of = {target: source for source, target in fields.items()}
    for offset, (geometry, values) in enumerate(zip(chunk.geometry, chunk.to_dict("records"),
                                                    strict=True)):
        row = first_row + offset
        name, name_note = feature_text(values.get(source_of.get("name", ""), None))
        feature_class, class_note = feature_text(values.get(source_of.get("feature_class", ""),
                                                            None))
        try:
            checked, repair = check_family_geometry(geometry, family)
        except RowError as error:
            report.rows.append(RowOutcome(row, name, REJECTED, str(error)))
            continue
        message = "; ".join(dict.fromkeys(filter(None, [repair, name_note, class_note])))
        report.rows.append(RowOutcome(row, name, REPAIRED if repair else ACCEPTED, message))
        records.append({"name": name, "feature_class": feature_class, "geometry": checked})
    return records


def plan_context_import(path: Path, name: str, title: str, kind: str,
                        options: ContextImportOptions = ContextImportOptions(),
                        progress: Callable[[int, int], None] | None = None,
                        limits: ArchiveLimits = DEFAULT_LIMITS) -> ContextPlan:
    """Read and check a whole context-layer file; InvalidEditError for a bad layer name, title
    or kind, DataFileError when the file as a whole is unusable. Writes nothing."""
    check_layer(name, title, kind)
    family = CONTEXT_KINDS[kind].family
    report = ImportReport(source=path.name, file_format="")
    records: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="landgis-context-") as workdir:
        reader = open_layer(path, options.layer, options.encoding, Path(workdir), report, limits,
                            family)
        if reader.count > MAX_FEATURES:
            raise DataFileError(f"{path.name}: {reader.count:,} features; a context layer holds "
                                f"at most {MAX_FEATURES:,}")
        choice = choose_crs(reader.crs, reader.bounds, options.crs)
        report.crs = f"{choice.crs.name} ({choice.crs.to_string()}; {choice.reason})"
        name_field = choose_field(reader.columns, options.name_field, NAME_FIELDS, "name",
                                  path.name)
        class_field = choose_field(reader.columns, options.class_field, CLASS_FIELDS, "class",
                                   path.name)
        report.mapping = {source: target for source, target in
                          ((name_field, "name"), (class_field, "feature_class")) if source}
        for first_row, raw in reader.chunks(CHUNK_ROWS):
            chunk = lonlat_chunk(raw, choice, options.service_area)
            records += _check_chunk(chunk, first_row, family, report.mapping, report)
            if progress:
                progress(first_row + len(raw) - 1, reader.count)
    features = gpd.GeoDataFrame(records, columns=["name", "feature_class", "geometry"],
                                geometry="geometry", crs=4326)
    layer = ContextLayer(name=name, title=title.strip(), kind=kind, source=path.name)
    return ContextPlan(layer, features, report)


def check_strict(plan: ContextPlan) -> ContextPlan:
    """The plan of a file that must be flawless (bundled sample layers): the first rejected row
    is a DataFileError naming the feature and the reason."""
    rejected = [r for r in plan.report.rows if r.outcome == REJECTED]
    if rejected:
        raise DataFileError(f"{plan.report.source}: feature {rejected[0].row}: "
                            f"{rejected[0].message}")
    return plan


def apply_context_import(store: ContextStore, plan: ContextPlan, actor: str) -> ContextLayer:
    """Write a validated plan as the layer's whole content, atomically (the store's
    replace_layer); DataFileError, and nothing written, when no feature passed."""
    if plan.features.empty:
        raise DataFileError(f"{plan.report.source}: no feature can be imported; nothing was "
                            "written")
    return store.replace_layer(plan.layer, plan.features, actor)


def load_context_folder(store: ContextStore, folder: Path, actor: str) -> list[ContextLayer]:
    """Import every layer a folder's MANIFEST lists (the sample district's context layers),
    each from a file of the folder that must be flawless; [] when the folder has no manifest."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return []
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))["layers"]
        specs = [(str(e["name"]), str(e["title"]), str(e["kind"]), str(e["file"]))
                 for e in entries]
    except (ValueError, KeyError, TypeError):
        raise DataFileError(f"{manifest}: not a list of layers with name, title, kind and "
                            "file") from None
    stored = []
    for name, title, kind, file in specs:
        if Path(file).name != file:
            raise DataFileError(f"{manifest}: “{file}” is not a file name in {folder}")
        plan = check_strict(plan_context_import(folder / file, name, title, kind))
        stored.append(apply_context_import(store, plan, actor))
    return stored
