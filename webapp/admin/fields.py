"""The parcel edit form: its sections and fields, and text values to show in its inputs."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _

from webapp.admin.texts import field_labels
from webapp.domain.edits import EDITABLE_FIELDS, TEXT_LIMITS
from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import ATTRIBUTE_TYPES, REQUIRED_ATTRIBUTES, Parcel
from webapp.public.texts import status_names, supply_method_names


@dataclass(frozen=True)
class FormField:
    """One input: `kind` is text, textarea, number, select or publication."""

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    maxlength: int | None = None
    choices: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class RangeField:
    """A planning indicator entered as a minimum and a maximum side by side."""

    label: str
    low: FormField
    high: FormField
    kind: str = "range"


def _field(name: str, kind: str | None = None, choices=None) -> FormField:
    kind = kind or ("number" if ATTRIBUTE_TYPES.get(name) in (int, float) else "text")
    return FormField(name, field_labels()[name], kind, name in REQUIRED_ATTRIBUTES,
                     TEXT_LIMITS.get(name) if kind in ("text", "textarea") else None,
                     choices or [])


def _range(label: str, low: str, high: str) -> RangeField:
    return RangeField(label, _field(low), _field(high))


def land_use_choices(table: LandUseTable, language: str) -> list[tuple[str, str]]:
    """Every class of the 2023 scheme as (code, "code name"), indented by level."""
    return [(c.code, "\u2003" * (c.level - 1) + f"{c.code} {c.name(language)}")
            for c in table.classes()]


def edit_sections(table: LandUseTable, language: str) -> list[tuple[str, list]]:
    """The form's sections in order, each a title and its fields."""
    statuses = list(status_names().items())
    methods = [("", "—"), *supply_method_names().items()]
    return [
        (_("Parcel"), [_field("code"), _field("name"), _field("street"), _field("location")]),
        (_("Land use and status"), [
            _field("land_use", "select", land_use_choices(table, language)),
            _field("status", "select", statuses),
            _field("supply_method", "select", methods), _field("lease_years"),
            _field("published", "publication")]),
        (_("Planning conditions"), [
            _range(_("Floor-area ratio"), "far_min", "far_max"),
            _range(_("Building coverage (%)"), "density_min_pct", "density_max_pct"),
            _range(_("Green ratio (%)"), "green_min_pct", "green_max_pct"),
            _field("height_max_m")]),
        (_("Prices and investment"), [_field("price_start_wan"), _field("deposit_wan"),
                                      _field("invest_min_wan_per_mu"),
                                      _field("tax_min_wan_per_mu")]),
        (_("Contact and note"), [_field("contact"), _field("note", "textarea")]),
    ]


def value_text(value: object) -> str:
    """A stored value as the text an input shows (empty for none)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def form_values(parcel: Parcel) -> dict[str, str]:
    """The parcel's editable values as the text the inputs show."""
    return {name: value_text(getattr(parcel, name)) for name in EDITABLE_FIELDS}


def submitted_values(form: Mapping[str, str]) -> dict[str, str]:
    """Exactly the editable fields from a submitted form, as typed (missing ones empty)."""
    return {name: form.get(name, "") for name in EDITABLE_FIELDS}
