"""Open uploads only with the GDAL driver their checked type names: an allow-list of drivers.

GDAL picks the driver of a file by probing every registered driver, and several of them turn
file content into reads elsewhere: a JSON file whose text holds an ``<OGRVRTDataSource>``
document is taken by the VRT driver, which opens any local file or URL it names; CSV, SQLite,
WFS, OAPIF, HTTP and the ``/vsicurl/`` family reach further. pyogrio 0.13 has no way to pass
GDAL's ``allowed_drivers`` list on read, so the defence works on GDAL itself:

1. While an import reads a file (``only_upload_drivers()``), every driver except GPKG, GeoJSON,
   ESRI Shapefile and OpenFileGDB is deregistered from the very libgdal pyogrio loaded (found in
   ``/proc/self/maps``, driven through GDAL's C API with ctypes). A driver that is not
   registered cannot be probed, so no file content can select it: this is an allow-list, and a
   new GDAL release with new drivers changes nothing. The GPKG, GeoJSON and Shapefile drivers
   are also the ones the app writes with (GPKG store and export), so other threads keep working
   meanwhile; OpenFileGDB reads File Geodatabase folders (``.gdb``) and claims no other file.
   When the block ends, the removed drivers are registered again (the in-process MVT/OAPIF
   readers of the test-suite and any other GDAL user in the process see GDAL as before).
   Blocks are serialised by a lock; when libgdal or its symbols cannot be found, importing is
   refused (``UnsafeReaderError``) rather than run unprotected.
2. After opening, ``check_driver`` compares the driver GDAL actually used with the one the
   file's sniffed type names, before any feature is read.
3. Belt and braces, not the main defence: network access of GDAL is pointed at a closed
   loopback port and ``/vsicurl/`` is told no file exists, for the duration of the block.

Paths handed to GDAL are always files the import itself wrote or unpacked (never text typed
by a user), so ``/vsizip/``, ``/vsicurl/`` or ``DRIVER:`` prefixes cannot come from a request.
"""

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pyogrio  # importing it loads its libgdal, so /proc/self/maps lists it

from webapp.domain.errors import DataFileError

# Sniffed type → the only GDAL driver that may open it.
DRIVER_OF_FORMAT = {"geojson": "GeoJSON", "shp": "ESRI Shapefile", "zip": "ESRI Shapefile",
                    "gpkg": "GPKG", "gdb": "OpenFileGDB"}
ALLOWED_DRIVERS = frozenset(DRIVER_OF_FORMAT.values())

# GDAL settings during an import: no network, no side files written next to the upload.
CLOSED_NETWORK = {
    "GDAL_HTTP_PROXY": "127.0.0.1:9",
    "GDAL_HTTPS_PROXY": "127.0.0.1:9",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_TIMEOUT": "1",
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".landgis-no-network",
    "GDAL_PAM_ENABLED": "NO",
}

_LOCK = threading.RLock()
_DEPTH = threading.local()


class UnsafeReaderError(DataFileError):
    """GDAL's driver list cannot be restricted here, so no upload is opened at all."""


def _loaded_gdal_paths() -> list[str]:
    """Every libgdal mapped into this process (pyogrio's own copy, and any other)."""
    with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
        paths = {line.split(None, 5)[-1].strip() for line in maps if "libgdal" in line}
    return sorted(p for p in paths if p.startswith("/") and ".so" in p)


def _bind(path: str) -> ctypes.CDLL:
    lib = ctypes.CDLL(path)
    lib.GDALGetDriverCount.restype = ctypes.c_int
    lib.GDALGetDriver.restype = ctypes.c_void_p
    lib.GDALGetDriver.argtypes = [ctypes.c_int]
    lib.GDALGetDescription.restype = ctypes.c_char_p
    lib.GDALGetDescription.argtypes = [ctypes.c_void_p]
    lib.GDALDeregisterDriver.argtypes = [ctypes.c_void_p]
    lib.GDALRegisterDriver.restype = ctypes.c_int
    lib.GDALRegisterDriver.argtypes = [ctypes.c_void_p]
    return lib


_LIBS: list[ctypes.CDLL] = []


def gdal_libraries() -> list[ctypes.CDLL]:
    """ctypes handles of the loaded libgdal(s); UnsafeReaderError when none can be bound."""
    if not _LIBS:
        try:
            paths = _loaded_gdal_paths()
            _LIBS.extend(_bind(path) for path in paths)
        except (OSError, AttributeError):
            _LIBS.clear()
        if not _LIBS:
            raise UnsafeReaderError("uploads cannot be opened safely on this server (GDAL's "
                                    "driver list cannot be restricted); nothing was imported")
    return _LIBS


def registered_drivers(lib: ctypes.CDLL) -> list[tuple[str, int]]:
    """(name, handle) of every driver registered in one libgdal, in probing order."""
    drivers = []
    for index in range(lib.GDALGetDriverCount()):
        handle = lib.GDALGetDriver(index)
        if handle:
            drivers.append((lib.GDALGetDescription(handle).decode("utf-8", "replace"), handle))
    return drivers


def _restrict(lib: ctypes.CDLL, removed: list[int]) -> None:
    """Deregister every driver not allowed, recording each in `removed` as it goes."""
    for name, handle in registered_drivers(lib):
        if name not in ALLOWED_DRIVERS:
            lib.GDALDeregisterDriver(handle)
            removed.append(handle)
    if {name for name, _ in registered_drivers(lib)} - ALLOWED_DRIVERS:
        raise UnsafeReaderError("uploads cannot be opened safely on this server (a GDAL driver "
                                "could not be removed); nothing was imported")


def _set_options(values: dict[str, str | None]) -> dict[str, str | None]:
    previous = {name: pyogrio.get_gdal_config_option(name) for name in values}
    pyogrio.set_gdal_config_options(values)
    return previous


@contextmanager
def only_upload_drivers() -> Iterator[None]:
    """A block in which GDAL knows only the GPKG, GeoJSON, ESRI Shapefile and OpenFileGDB
    drivers and has no network; re-entrant, serialised across threads."""
    with _LOCK:
        depth = getattr(_DEPTH, "value", 0)
        _DEPTH.value = depth + 1
        removed: list[tuple[ctypes.CDLL, list[int]]] = []
        previous = None
        try:
            if depth == 0:
                for lib in gdal_libraries():
                    removed.append((lib, []))
                    _restrict(lib, removed[-1][1])
                previous = _set_options(dict(CLOSED_NETWORK))
            yield
        finally:
            _DEPTH.value = depth
            if previous is not None:
                pyogrio.set_gdal_config_options(previous)
            for lib, handles in removed:
                for handle in handles:
                    lib.GDALRegisterDriver(handle)


def check_driver(info: dict, file_format: str, name: str) -> None:
    """DataFileError unless GDAL opened the file with the driver its sniffed type names."""
    expected = DRIVER_OF_FORMAT[file_format]
    if info.get("driver") != expected:
        raise DataFileError(f"{name}: not a plain {_FORMAT_WORDS[expected]} file; refused")


_FORMAT_WORDS = {"GeoJSON": "GeoJSON", "ESRI Shapefile": "Shapefile", "GPKG": "GeoPackage",
                 "OpenFileGDB": "File Geodatabase"}
