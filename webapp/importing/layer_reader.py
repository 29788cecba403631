"""Read one layer of a parcel file in chunks, so a large file never sits in memory whole."""

import math
import warnings
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS

from webapp.domain.errors import DataFileError
from webapp.importing.arrow_frames import stream_frames
from webapp.importing.drivers import check_driver, only_upload_drivers

# Formats GDAL can start reading at any feature cheaply; others (GeoJSON, which GDAL scans
# whole at every open) are read in one pass through GDAL's Arrow stream, batch by batch.
RANDOM_ACCESS_SUFFIXES = (".gpkg", ".shp", ".gdb")
_UNREADABLE = (DataSourceError, DataLayerError, UnicodeDecodeError)


@dataclass(frozen=True)
class LayerReader:
    """A layer's feature count, CRS, extent and fields, and its features chunk by chunk."""

    path: Path
    layer: str
    encoding: str | None
    count: int
    crs: CRS | None
    bounds: np.ndarray | None
    columns: list[str]

    @classmethod
    def open(cls, path: Path, layer: str, encoding: str | None, name: str,
             file_format: str) -> "LayerReader":
        """Read the layer's metadata (not its features) with the driver `file_format` names
        and no other; DataFileError when unreadable or opened by another driver."""
        try:
            with only_upload_drivers():
                info = pyogrio.read_info(path, layer=layer, encoding=encoding,
                                         force_feature_count=True, force_total_bounds=True)
        except (DataSourceError, DataLayerError, UnicodeDecodeError):
            raise DataFileError(f"{name}: layer {layer} cannot be read (damaged file or wrong "
                                "text encoding)") from None
        check_driver(info, file_format, name)
        bounds = np.asarray(info.get("total_bounds"), dtype=float)
        if bounds.shape != (4,) or not np.isfinite(bounds).all():
            bounds = None
        return cls(path, layer, encoding, int(info["features"]),
                   CRS.from_user_input(info["crs"]) if info.get("crs") else None, bounds,
                   [str(f) for f in info["fields"]])

    def _read(self, **window) -> gpd.GeoDataFrame:
        try:
            with only_upload_drivers(), warnings.catch_warnings():
                # A GeoJSON property holding both text and numbers is typed JSON by GDAL;
                # pyogrio then warns that it keeps the text, which is what an import wants.
                warnings.filterwarnings("ignore", "Could not parse column .* as JSON",
                                        UserWarning)
                return pyogrio.read_dataframe(self.path, layer=self.layer,
                                              encoding=self.encoding, **window)
        except (DataSourceError, DataLayerError, UnicodeDecodeError):
            raise DataFileError(f"{self.path.name}: layer {self.layer} cannot be read (damaged "
                                "file or wrong text encoding)") from None

    def chunks(self, size: int) -> Iterator[tuple[int, gpd.GeoDataFrame]]:
        """(first row number, frame of at most `size` features) over the whole layer."""
        if self.path.suffix.lower() in RANDOM_ACCESS_SUFFIXES:
            for start in range(0, self.count, size):
                yield start + 1, self._read(skip_features=start, max_features=size)
            return
        yield from self._stream(size)

    def _stream(self, size: int) -> Iterator[tuple[int, gpd.GeoDataFrame]]:
        """The chunks of one pass over the file: the drivers are restricted while GDAL opens
        it (the driver it picks cannot change afterwards), not while the chunks are used."""
        first_row = 1
        with ExitStack() as stack:
            try:
                with only_upload_drivers():
                    meta, stream = stack.enter_context(pyogrio.open_arrow(
                        self.path, layer=self.layer, encoding=self.encoding, batch_size=size))
                frames = stream_frames(meta, stream)
                while (frame := next(frames, None)) is not None:
                    yield first_row, frame
                    first_row += len(frame)
            except (*_UNREADABLE, RuntimeError):  # nanoarrow reports GDAL's read errors so
                raise DataFileError(f"{self.path.name}: layer {self.layer} cannot be read "
                                    "(damaged file or wrong text encoding)") from None

    def chunk_count(self, size: int) -> int:
        """How many chunks of `size` the layer has."""
        return math.ceil(self.count / size)
