"""Parcel rows between the GeoPackage and Python: SELECT rows → Parcel."""

import json
import sqlite3

from webapp.domain.parcel import Parcel
from webapp.domain.parcel_schema import NUMERIC_FIELDS
from webapp.store.geopackage.blob import geometry_from_gpkg_blob
from webapp.store.tables import PARCEL_COLUMNS
from webapp.store.tables import PARCELS as LAYER

SELECT_COLUMNS = ", ".join(["fid", *PARCEL_COLUMNS])


def coerce_numbers(values: dict[str, object]) -> dict[str, object]:
    """Numeric fields read as text (columns GDAL typed TEXT, in stores written before the
    columns were typed) back to int/float, in place."""
    for name, kind in NUMERIC_FIELDS.items():
        value = values.get(name)
        if isinstance(value, str):
            values[name] = kind(float(value))
    return values


def parcel_from_row(row: tuple) -> Parcel:
    """A Parcel from (fid, *PARCEL_COLUMNS, geom blob or None) as selected."""
    values = coerce_numbers(dict(zip(PARCEL_COLUMNS, row[1:-1], strict=True)))
    values["extra"] = json.loads(str(values["extra"] or "{}"))
    values["published"] = bool(values["published"])
    return Parcel(id=row[0], geometry=geometry_from_gpkg_blob(row[-1]), **values)  # type: ignore[arg-type]


def read_parcel(db: sqlite3.Connection, parcel_id: int) -> Parcel | None:
    """A parcel with its geometry through an open connection (inside a transaction)."""
    row = db.execute(f"SELECT {SELECT_COLUMNS}, geom FROM {LAYER} WHERE fid = ?",
                     (parcel_id,)).fetchone()
    return None if row is None else parcel_from_row(row)
