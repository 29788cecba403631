"""Decide the coordinate reference system of a parcel file, or refuse with a clear reason."""

from dataclasses import dataclass

import numpy as np
from pyproj import CRS
from pyproj.exceptions import CRSError

from webapp.domain.errors import DataFileError

ZONED_GK = {39: 4527, 40: 4528}  # CGCS2000 3-degree GK zones around Ma'anshan (118.5 E)
UNSUPPORTED_DATUMS = ("Xian 1980", "Xi'an 1980", "Beijing 1954", "New Beijing")


@dataclass(frozen=True)
class CrsChoice:
    """The CRS used and how it was chosen (for the import report)."""

    crs: CRS
    reason: str


def parse_crs(text: str) -> CRS:
    """A CRS from 'EPSG:4528', '4528' or WKT/PROJ text; DataFileError when unknown."""
    try:
        return CRS.from_user_input(int(text) if text.strip().isdigit() else text)
    except CRSError as error:
        raise DataFileError(f"unknown coordinate reference system “{text}” ({error})") from None


def _refuse_unsupported(crs: CRS) -> None:
    datum = crs.datum.name if crs.datum else ""
    if any(name.lower() in datum.lower() for name in UNSUPPORTED_DATUMS):
        raise DataFileError(f"coordinates are in {crs.name} ({datum}); converting them needs "
                            "transformation parameters from the data owner. Ask for the data in "
                            "CGCS2000 (e.g. EPSG:4528 or EPSG:4549) instead")


def guess_crs(bounds: np.ndarray) -> CrsChoice:
    """Guess from coordinate ranges when the file names no CRS; refuse ambiguous eastings."""
    minx, miny, maxx, maxy = bounds
    if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
        return CrsChoice(CRS.from_epsg(4490), "no CRS in the file; coordinates are "
                         "longitude/latitude (CGCS2000 assumed)")
    zone = int(minx // 1_000_000)
    if zone == int(maxx // 1_000_000) and zone in ZONED_GK and 2e6 <= miny <= maxy <= 6.1e6:
        code = ZONED_GK[zone]
        return CrsChoice(CRS.from_epsg(code), f"no CRS in the file; eastings start with {zone}: "
                         f"CGCS2000 3-degree Gauss-Kruger zone {zone} (EPSG:{code})")
    if 100_000 <= minx <= maxx < 1_000_000 and 2e6 <= miny <= maxy <= 6.1e6:
        raise DataFileError("the file names no CRS and its 6-digit eastings fit both CGCS2000 "
                            "Gauss-Kruger CM 117E (EPSG:4548) and CM 120E (EPSG:4549); name the "
                            "CRS (--crs EPSG:4548 or --crs EPSG:4549)")
    raise DataFileError("the file names no CRS and its coordinates match no known system; "
                        "name the CRS (e.g. --crs EPSG:4528)")


def choose_crs(file_crs: CRS | None, bounds: np.ndarray, override: str | None) -> CrsChoice:
    """The user's CRS, else the file's, else a guess from the coordinates."""
    if override:
        choice = CrsChoice(parse_crs(override), "given by the user")
    elif file_crs is not None:
        choice = CrsChoice(file_crs, "from the file")
    else:
        choice = guess_crs(bounds)
    _refuse_unsupported(choice.crs)
    return choice
