"""Translated names for the staff pages: fields, roles, audit sources, and value display."""

from flask_babel import gettext as _

from webapp.domain.accounts import ROLES
from webapp.domain.audit import SOURCES
from webapp.public.texts import status_names, supply_method_names


def field_labels() -> dict[str, str]:
    """Display name of every audited field in the current language."""
    return {
        "code": _("Parcel code"), "name": _("Name"), "land_use": _("Land use"),
        "street": _("Street"), "location": _("Location"), "status": _("Status"),
        "supply_method": _("Supply method"), "lease_years": _("Lease term (years)"),
        "far_min": _("Floor-area ratio, minimum"), "far_max": _("Floor-area ratio, maximum"),
        "density_min_pct": _("Building coverage, minimum (%)"),
        "density_max_pct": _("Building coverage, maximum (%)"),
        "green_min_pct": _("Green ratio, minimum (%)"),
        "green_max_pct": _("Green ratio, maximum (%)"),
        "height_max_m": _("Height limit (m)"),
        "price_start_wan": _("Starting price (10,000 yuan)"),
        "deposit_wan": _("Deposit (10,000 yuan)"),
        "invest_min_wan_per_mu": _("Investment intensity (10,000 yuan/mu)"),
        "tax_min_wan_per_mu": _("Tax per mu per year (10,000 yuan/mu)"),
        "contact": _("Contact"), "note": _("Note"), "published": _("Publication"),
        "area_m2": _("Area (m²)"), "geometry": _("Boundary"),
        "land_use_source": _("Land use in the source file"), "extra": _("Other attributes"),
        "created": _("Parcel created by an import (file)"),
        "removed": _("Parcel removed by an import (file)"),
    }


def role_names() -> dict[str, str]:
    """Display name of each staff role."""
    names = {"viewer": _("Viewer (reads drafts and history)"),
             "editor": _("Editor (edits parcels)"),
             "admin": _("Admin (also manages accounts, restores values)")}
    return {role: names[role] for role in ROLES}


def role_titles() -> dict[str, str]:
    """Short name of each staff role."""
    names = {"viewer": _("Viewer"), "editor": _("Editor"), "admin": _("Admin")}
    return {role: names[role] for role in ROLES}


def source_names() -> dict[str, str]:
    """Display name of each way a change can be made."""
    names = {"form": _("Edit form"), "api": _("API"), "import": _("Import"),
             "restore": _("Restore"), "project": _("Project stage")}
    return {source: names[source] for source in SOURCES}


def display_value(field: str, value: object) -> str:
    """A stored value as staff read it: names for codes, yes/no, numbers without noise."""
    if value is None or value == "":
        return "—"
    if field == "status":
        return status_names().get(value, str(value))
    if field == "supply_method":
        return supply_method_names().get(value, str(value))
    if field == "published":
        return _("Published") if value else _("Draft (staff only)")
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def display_input(field: str, text: str) -> str:
    """What a user typed or chose, shown like a stored value (names for codes)."""
    text = (text or "").strip()
    if field == "published" and text in ("true", "false"):
        return display_value(field, text == "true")
    if field in ("status", "supply_method"):
        return display_value(field, text or None)
    return text or "—"
