"""The flat record an export writes per parcel: public attributes, land-use name, three areas."""

from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import ATTRIBUTE_TYPES, Parcel

# Columns of every export format, in file order, with the Python type of their values.
COLUMN_TYPES: dict[str, type] = {
    "id": int,
    **ATTRIBUTE_TYPES,
    "land_use_name": str,
    "area_m2": float,
    "area_mu": float,
    "area_ha": float,
    "updated_at": str,
}
COLUMNS = tuple(COLUMN_TYPES)


def export_record(parcel: Parcel, table: LandUseTable, language: str) -> dict[str, object]:
    """One parcel as {column: value} in COLUMNS order (areas in m², 亩 and ha, rounded)."""
    record: dict[str, object] = {"id": parcel.id}
    for name in ATTRIBUTE_TYPES:
        record[name] = getattr(parcel, name)
    record["land_use_name"] = table.name(parcel.land_use, language)
    record["area_m2"] = round(parcel.area_m2, 2)
    record["area_mu"] = round(parcel.area_mu, 2)
    record["area_ha"] = round(parcel.area_ha, 4)
    record["updated_at"] = parcel.updated_at
    return record
