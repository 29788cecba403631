"""The district's service area: the lon/lat box imported features must fall in, so a wrong CRS
is caught wherever the district is."""

from dataclasses import dataclass

import numpy as np

from webapp.domain.errors import DataFileError
from webapp.store.interface import ParcelStore

# Used when neither the setting nor the store says where the district is: roughly China.
CHINA_LONLAT = (73.0, 3.0, 136.0, 54.0)
STORE_MARGIN_DEG = 0.5  # about 50 km around the stored parcels (a district grows)


@dataclass(frozen=True)
class ServiceArea:
    """A lon/lat box (EPSG:4326 degrees: west, south, east, north) and where it came from."""

    west: float
    south: float
    east: float
    north: float
    origin: str = "configured (SERVICE_AREA)"

    def contains(self, lonlat_bounds) -> bool:
        """True when the box (minlon, minlat, maxlon, maxlat) lies inside the area."""
        minx, miny, maxx, maxy = (float(v) for v in lonlat_bounds)
        return (self.west <= minx <= maxx <= self.east
                and self.south <= miny <= maxy <= self.north)

    def describe(self) -> str:
        """The box as text for messages, e.g. '118.00..119.00 E, 31.20..32.20 N'."""
        return describe_box((self.west, self.south, self.east, self.north))


CHINA = ServiceArea(*CHINA_LONLAT, origin="China (the store holds no parcels yet)")


def describe_box(box) -> str:
    """'W..E E, S..N N' of a lon/lat box, negative degrees as W/S."""
    west, south, east, north = (float(v) for v in box)

    def lon(v: float) -> str:
        return f"{abs(v):.2f} {'W' if v < 0 else 'E'}"

    def lat(v: float) -> str:
        return f"{abs(v):.2f} {'S' if v < 0 else 'N'}"

    return f"{lon(west)}..{lon(east)}, {lat(south)}..{lat(north)}"


def parse_service_area(text: str) -> ServiceArea | None:
    """The SERVICE_AREA setting 'minlon,minlat,maxlon,maxlat' (degrees), or None when empty;
    ValueError when malformed or not a lon/lat box."""
    if not str(text).strip():
        return None
    parts = str(text).split(",")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise ValueError(f"“{text}” is not four numbers minlon,minlat,maxlon,maxlat") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValueError(f"“{text}” is not a lon/lat box: need -180 ≤ minlon < maxlon ≤ 180 "
                         "and -90 ≤ minlat < maxlat ≤ 90")
    return ServiceArea(west, south, east, north)


def service_area_from(setting: str, store: ParcelStore | None) -> ServiceArea:
    """The configured area, else the store's parcels' bounds with a STORE_MARGIN_DEG margin,
    else CHINA when the store is empty or missing."""
    configured = parse_service_area(setting)
    if configured is not None:
        return configured
    bounds = store.bounds() if store is not None and store.exists() else None
    if bounds is None:
        return CHINA
    west, south, east, north = (float(v) for v in bounds)
    m = STORE_MARGIN_DEG
    return ServiceArea(max(west - m, -180.0), max(south - m, -90.0), min(east + m, 180.0),
                       min(north + m, 90.0), origin="around the parcels in the store")


def check_in_service_area(lonlat_bounds: np.ndarray, area: ServiceArea, crs_text: str) -> None:
    """Refuse features outside the service area (the CRS must be wrong, or the area is set
    for another place), naming the expected area and the one found."""
    if area.contains(lonlat_bounds):
        return
    raise DataFileError(f"in {crs_text} the features fall at {describe_box(lonlat_bounds)}, "
                        f"outside the service area {area.describe()} ({area.origin}): the CRS "
                        "is wrong (name the right one with --crs), or set the district's area "
                        "with the SERVICE_AREA setting (LANDGIS_SERVICE_AREA="
                        "minlon,minlat,maxlon,maxlat)")
