"""Decode GeoPackage geometry blobs (GPKG header + WKB) into shapely geometries."""

import struct

import shapely
from shapely.geometry.base import BaseGeometry

# Envelope sizes in bytes by the 3-bit envelope indicator of the flags byte (GPKG spec 2.1.3).
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_HEADER = struct.Struct("<2sBBi")  # magic, version, flags, srs_id (little endian)
_ENVELOPE = struct.Struct("<4d")


def wkb_from_gpkg_blob(blob: bytes) -> bytes:
    """The WKB part of a GeoPackage geometry blob."""
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry blob")
    envelope = (blob[3] >> 1) & 0b111
    if envelope not in _ENVELOPE_BYTES:
        raise ValueError(f"invalid envelope indicator {envelope}")
    return blob[8 + _ENVELOPE_BYTES[envelope]:]


def geometry_from_gpkg_blob(blob: bytes | None) -> BaseGeometry | None:
    """A shapely geometry from a GeoPackage blob (None for NULL or an empty-flagged blob)."""
    if blob is None:
        return None
    if (blob[3] >> 4) & 1:  # empty geometry flag
        return None
    return shapely.from_wkb(wkb_from_gpkg_blob(blob))


def srs_id_of_gpkg_blob(blob: bytes) -> int:
    """The srs_id stored in a blob header (little or big endian per the flags byte)."""
    order = "<" if blob[3] & 1 else ">"
    return struct.unpack(f"{order}i", blob[4:8])[0]


def gpkg_blobs_from_geometries(geometries, srs_id: int = 4326) -> list[bytes | None]:
    """GeoPackage blobs (little-endian header with an xy envelope, then WKB) for many geometries."""
    wkbs = shapely.to_wkb(geometries, byte_order=1)
    bounds = shapely.bounds(geometries)
    blobs: list[bytes | None] = []
    for geometry, wkb, (minx, miny, maxx, maxy) in zip(geometries, wkbs, bounds, strict=True):
        if geometry is None:
            blobs.append(None)
        elif geometry.is_empty:
            blobs.append(_HEADER.pack(b"GP", 0, 0b00010001, srs_id) + wkb)
        else:
            envelope = _ENVELOPE.pack(minx, maxx, miny, maxy)
            blobs.append(_HEADER.pack(b"GP", 0, 0b00000011, srs_id) + envelope + wkb)
    return blobs


def envelope_of_gpkg_blob(blob: bytes) -> tuple[float, float, float, float] | None:
    """(minx, maxx, miny, maxy) from the blob's header, or from its WKB; None when empty."""
    flags = blob[3]
    if (flags >> 4) & 1:
        return None
    if (flags >> 1) & 0b111:
        order = "<" if flags & 1 else ">"
        return struct.unpack(f"{order}4d", blob[8:40])
    geometry = geometry_from_gpkg_blob(blob)
    if geometry is None or geometry.is_empty:
        return None
    minx, miny, maxx, maxy = geometry.bounds
    return minx, maxx, miny, maxy
