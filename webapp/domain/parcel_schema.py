"""The parcel schema, written once: every stored parcel field with its kind and roles.

Everything else derives from this table: the attributes a data file may carry (the import's
field list), the fields staff may edit, the fields an import writes, the stored columns of both
stores (the PostGIS DDL and the GeoPackage column types) and the indexes. The Parcel record
(webapp.domain.parcel) has exactly these fields besides `id` and `geometry`; a test holds the
two, and both stores' tables, to this table.
"""

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """How a field's value is typed, in Python and in the stores."""

    TEXT = "text"
    INTEGER = "integer"
    REAL = "real"
    FLAG = "flag"  # a boolean, stored as 0/1
    JSON = "json"  # a JSON object (dict)


PYTHON_TYPES: dict[Kind, type] = {Kind.TEXT: str, Kind.INTEGER: int, Kind.REAL: float,
                                  Kind.FLAG: bool, Kind.JSON: dict}


@dataclass(frozen=True)
class ParcelField:
    """One stored parcel field.

    from_file: a data file may carry it (and the import maps file columns onto it).
    imported: an import writes it (file attributes plus what the import computes).
    editable: staff may change it on the edit form and through the API.
    required: never empty in the store (NOT NULL); from_file and required: a file must give it.
    ordered: text the stores compare and sort (code point order in both, C collation in
    PostgreSQL). index: "unique", "plain" or "" (no index of its own).
    default: the value a new row gets when none is given.
    """

    name: str
    kind: Kind
    from_file: bool = False
    imported: bool = False
    editable: bool = False
    required: bool = False
    ordered: bool = False
    index: str = ""
    default: object = None

    @property
    def python_type(self) -> type:
        return PYTHON_TYPES[self.kind]


def _attribute(name: str, kind: Kind, required: bool = False, ordered: bool = False,
               index: str = "") -> ParcelField:
    """A field a data file may carry: imported and editable."""
    return ParcelField(name, kind, from_file=True, imported=True, editable=True,
                       required=required, ordered=ordered, index=index)


TEXT, INT, REAL = Kind.TEXT, Kind.INTEGER, Kind.REAL

# In the order forms, documents and exports list them.
PARCEL_FIELDS: tuple[ParcelField, ...] = (
    _attribute("code", TEXT, required=True, ordered=True, index="unique"),
    _attribute("name", TEXT),
    _attribute("land_use", TEXT, required=True, ordered=True, index="plain"),
    _attribute("street", TEXT, ordered=True, index="plain"),
    _attribute("location", TEXT),
    _attribute("status", TEXT, required=True, ordered=True, index="plain"),
    _attribute("supply_method", TEXT),
    _attribute("lease_years", INT),
    _attribute("far_min", REAL),
    _attribute("far_max", REAL),
    _attribute("density_min_pct", REAL),
    _attribute("density_max_pct", REAL),
    _attribute("green_min_pct", REAL),
    _attribute("green_max_pct", REAL),
    _attribute("height_max_m", REAL),
    _attribute("price_start_wan", REAL),
    _attribute("deposit_wan", REAL),
    _attribute("invest_min_wan_per_mu", REAL),
    _attribute("tax_min_wan_per_mu", REAL),
    _attribute("contact", TEXT),
    _attribute("note", TEXT),
    # Set by the import, never by a file's own column or by staff:
    ParcelField("land_use_source", TEXT, imported=True),  # the file's own land-use text
    ParcelField("area_m2", REAL, imported=True, required=True, index="plain"),  # projected CRS
    ParcelField("extra", Kind.JSON, imported=True, required=True, default={}),  # other columns
    # Bookkeeping:
    ParcelField("published", Kind.FLAG, editable=True, required=True, default=True),
    ParcelField("version", INT, required=True, default=1),
    ParcelField("updated_at", TEXT, ordered=True),  # ISO 8601 UTC
)
FIELDS_BY_NAME: dict[str, ParcelField] = {f.name: f for f in PARCEL_FIELDS}
STORED_FIELDS: tuple[str, ...] = tuple(f.name for f in PARCEL_FIELDS)

# Attributes a data file may carry, with their Python types. Computed and bookkeeping
# fields (id, area_m2, version, updated_at) are not in this table: files cannot set them.
ATTRIBUTE_TYPES: dict[str, type] = {f.name: f.python_type for f in PARCEL_FIELDS if f.from_file}
REQUIRED_ATTRIBUTES: tuple[str, ...] = tuple(f.name for f in PARCEL_FIELDS
                                             if f.from_file and f.required)
# Fields an import may change; id, version and updated_at are bookkeeping.
IMPORTED_FIELDS: tuple[str, ...] = tuple(f.name for f in PARCEL_FIELDS if f.imported)
EDITABLE_FIELDS: tuple[str, ...] = tuple(f.name for f in PARCEL_FIELDS if f.editable)
NUMERIC_FIELDS: dict[str, type] = {f.name: f.python_type for f in PARCEL_FIELDS
                                   if f.kind in (Kind.INTEGER, Kind.REAL)}
INDEXED_FIELDS: dict[str, str] = {f.name: f.index for f in PARCEL_FIELDS if f.index}
