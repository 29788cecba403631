"""Decode GeoPackage geometry blobs (GPKG header + WKB) into shapely geometries."""

import struct

import shapely
from shapely.geometry.base import BaseGeometry

# Envelope sizes in bytes by the 3-bit envelope indicator of the flags byte (GPKG spec 2.1.3).
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


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
