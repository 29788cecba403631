"""Read a parcel file (GeoJSON, GeoPackage) into a GeoDataFrame through pyogrio."""

import json
import logging
from pathlib import Path

import geopandas as gpd
from pyogrio.errors import DataLayerError, DataSourceError

from webapp.domain.errors import DataFileError

logger = logging.getLogger(__name__)


def _check_json_syntax(path: Path) -> None:
    """GDAL's JSON errors are vague; name the line and column of a syntax error instead."""
    try:
        with path.open(encoding="utf-8-sig") as f:
            document = json.load(f)
    except UnicodeDecodeError as error:
        raise DataFileError(f"{path.name}: not UTF-8 text ({error.reason})") from None
    except json.JSONDecodeError as error:
        raise DataFileError(f"{path.name}: invalid JSON at line {error.lineno}, column "
                            f"{error.colno}: {error.msg}") from None
    if not isinstance(document, dict) or document.get("type") not in ("FeatureCollection",
                                                                      "Feature"):
        raise DataFileError(f"{path.name}: not a GeoJSON FeatureCollection")


def read_parcel_file(path: str | Path) -> gpd.GeoDataFrame:
    """Every feature of the file's only (or first) layer, with the file's CRS."""
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: no such file")
    if path.suffix.lower() in (".geojson", ".json"):
        _check_json_syntax(path)
    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except (DataSourceError, DataLayerError) as error:
        raise DataFileError(f"{path.name}: cannot be read as a parcel file ({error})") from None
    if frame.empty:
        raise DataFileError(f"{path.name}: holds no features")
    logger.info("read %d features from %s (CRS %s)", len(frame), path, frame.crs)
    return frame
