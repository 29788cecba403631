"""Open an uploaded parcel or context-layer file: recognise it, unpack archives, find the dataset
and its layers of the wanted geometry family (polygons for parcels)."""

from dataclasses import dataclass
from pathlib import Path

import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from webapp.domain.errors import DataFileError
from webapp.importing.archive import DEFAULT_LIMITS, ArchiveLimits, extract_archive
from webapp.importing.drivers import only_upload_drivers
from webapp.importing.gpkg_check import check_geopackage
from webapp.importing.sniff import check_geodatabase, check_shapefile, sniff_format

FORMAT_NAMES = {"gpkg": "GeoPackage", "geojson": "GeoJSON", "shp": "Shapefile",
                "zip": "zipped Shapefile", "gdb": "File Geodatabase"}
# Geometry family → the word every GDAL layer type of that family contains (MultiPolygon,
# LineString Z, MultiPoint...); layers of mixed or unknown type are listed for every family.
FAMILY_TYPES = {"polygon": "Polygon", "line": "LineString", "point": "Point"}


@dataclass(frozen=True)
class Dataset:
    """A readable dataset on disk, its format and its layers of one geometry family."""

    path: Path
    file_format: str
    layers: list[str]
    family: str = "polygon"


def _find_geodatabase(folder: Path, files: list[Path], name: str) -> Path | None:
    """The one File Geodatabase folder (*.gdb) of an unpacked archive, checked; None when
    there is none; DataFileError for several, or one beside other parcel files."""
    found = sorted(p for p in folder.rglob("*") if p.is_dir() and p.suffix.lower() == ".gdb")
    if not found:
        return None
    if len(found) > 1:
        raise DataFileError(f"{name}: the archive holds {len(found)} File Geodatabases "
                            f"({', '.join(p.name for p in found)}); send one per archive")
    beside = [p for p in files if not p.is_relative_to(found[0])
              and p.suffix.lower() in (".shp", ".gpkg", ".geojson", ".json")]
    if beside:
        raise DataFileError(f"{name}: the archive holds the File Geodatabase {found[0].name} "
                            f"and {beside[0].name}; send one dataset per archive")
    check_geodatabase(found[0], name)
    return found[0]


def _find_in_folder(folder: Path, name: str) -> tuple[Path, str]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    geodatabase = _find_geodatabase(folder, files, name)
    if geodatabase is not None:
        return geodatabase, "gdb"
    shapefiles = [p for p in files if p.suffix.lower() == ".shp"]
    others = [p for p in files if p.suffix.lower() in (".gpkg", ".geojson", ".json")]
    if len(shapefiles) == 1:
        check_shapefile(shapefiles[0], name)
        return shapefiles[0], "zip"
    if len(shapefiles) > 1:
        raise DataFileError(f"{name}: the archive holds {len(shapefiles)} Shapefiles "
                            f"({', '.join(p.name for p in shapefiles)}); send one per archive")
    if len(others) == 1:
        kind = sniff_format(others[0])
        if kind not in ("gpkg", "geojson"):  # no archive in an archive, no renamed .shp
            raise DataFileError(f"{name}: {others[0].name} in the archive is not a GeoJSON or "
                                "GeoPackage file")
        return others[0], kind
    raise DataFileError(f"{name}: the archive holds no Shapefile (.shp with .dbf and .shx) "
                        "and no File Geodatabase (.gdb folder)")


def _layers(path: Path, name: str, family: str) -> list[str]:
    try:
        with only_upload_drivers():
            listed = pyogrio.list_layers(path)
    except (DataSourceError, DataLayerError):
        raise DataFileError(f"{name}: cannot be read as a parcel file (damaged or not the "
                            "format its content starts like)") from None
    word = FAMILY_TYPES[family]
    matching = [str(layer) for layer, kind in listed
                if kind is not None and (word in str(kind) or "Unknown" in str(kind))]
    if not matching:
        found = ", ".join(sorted({str(kind) for _layer, kind in listed if kind is not None}))
        raise DataFileError(f"{name}: holds no {family} layer"
                            + (f" (its layers hold {found})" if found else ""))
    return matching


def check_bare_shapefile(path: Path) -> None:
    """DataFileError unless a .shp given alone has its .dbf (the attributes) and .shx beside
    it, each with the Shapefile's name."""
    siblings = {p.suffix.lower() for p in path.parent.iterdir() if p.stem == path.stem}
    missing = [suffix for suffix in (".dbf", ".shx") if suffix not in siblings]
    if missing:
        raise DataFileError(f"{path.name}: no {path.stem}{missing[0]} beside it (a Shapefile's "
                            "attributes are in its .dbf); keep the .shp, .shx, .dbf, .prj (and "
                            ".cpg) files together in one folder, or send them in one zip archive")
    check_shapefile(path, path.name)


def open_dataset(path: Path, workdir: Path, limits: ArchiveLimits = DEFAULT_LIMITS,
                 family: str = "polygon") -> Dataset:
    """Recognise the file by content; unzip archives into workdir (checked first); list its
    layers of the geometry family (polygon, line or point)."""
    if not path.is_file():
        raise DataFileError(f"{path}: no such file")
    kind = sniff_format(path)
    target = path
    if kind == "zip":
        extract_archive(path, workdir, limits)
        target, kind = _find_in_folder(workdir, path.name)
    elif kind == "shp":  # read with its sidecar files (.shx, .dbf, .prj, .cpg) beside it
        check_bare_shapefile(path)
    if kind == "gpkg":
        check_geopackage(target, path.name)
    return Dataset(target, kind, _layers(target, path.name, family), family)


def choose_layer(dataset: Dataset, layer: str | None, name: str) -> str:
    """The requested layer, or the only one; several layers need a choice."""
    if layer is not None:
        if layer not in dataset.layers:
            raise DataFileError(f"{name}: no {dataset.family} layer “{layer}”; layers: "
                                f"{', '.join(dataset.layers)}")
        return layer
    if len(dataset.layers) > 1:
        raise DataFileError(f"{name}: holds {len(dataset.layers)} layers "
                            f"({', '.join(dataset.layers)}); choose one with --layer")
    return dataset.layers[0]
