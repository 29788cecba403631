"""Convert one mapped field value into parcel attributes: the per-value rules of an import."""

from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import ATTRIBUTE_TYPES
from webapp.importing.fields import RANGE_TARGETS
from webapp.importing.traditional import fold_traditional
from webapp.importing.values import (
    parse_number_text,
    parse_range_text,
    parse_status,
    parse_supply_method,
)

# Targets that set other fields than their own name (ranges set their min and max too).
SPECIAL_OUTPUTS = {"land_use": ("land_use", "land_use_source"), "status": ("status",),
                   "supply_method": ("supply_method",), "declared_area": ("declared_area",)}


class RowError(ValueError):
    """A feature that cannot be imported; the message says why."""


def target_fields(target: str) -> tuple[str, ...]:
    """The record fields a mapped target sets, in the order convert_value returns them."""
    return RANGE_TARGETS.get(target) or SPECIAL_OUTPUTS.get(target) or (target,)


def find_land_use(value: str, table: LandUseTable) -> str:
    """A 2023-scheme code for a code, a name, or 'code name' text; RowError when unknown."""
    text = value.strip()
    name = text.lstrip("0123456789 ").strip()
    found = (table.find(name) if name and name != text else None) or table.find(text)
    if found is None and name:
        found = table.find(name)
    if found is None and fold_traditional(text) != text:  # 工業用地 is 工业用地
        found = table.find(fold_traditional(text))
    if found is None:
        raise RowError(f"unknown land use “{value}”")
    return found.code


def convert_value(target: str, value: object, table: LandUseTable) -> tuple:
    """The values of target_fields(target) for one non-blank value; ValueError when bad."""
    if target in RANGE_TARGETS:
        return parse_range_text(value)
    if target == "land_use":
        return find_land_use(str(value), table), str(value).strip()
    if target == "status":
        return (parse_status(value),)
    if target == "supply_method":
        return (parse_supply_method(value),)
    if target == "declared_area":
        return (parse_number_text(value),)
    kind = ATTRIBUTE_TYPES[target]
    if kind is str:
        return (str(value).strip(),)
    number = parse_number_text(value)
    return (round(number) if kind is int else number,)
