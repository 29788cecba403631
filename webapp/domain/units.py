"""Area units used on Chinese land notices: square metres, 亩 (mu) and hectares."""

M2_PER_MU = 10000 / 15
M2_PER_HA = 10000.0


def m2_to_mu(area_m2: float) -> float:
    """Convert square metres to 亩 (1 亩 = 10000/15 m²)."""
    return area_m2 / M2_PER_MU


def mu_to_m2(area_mu: float) -> float:
    """Convert 亩 to square metres."""
    return area_mu * M2_PER_MU


def m2_to_ha(area_m2: float) -> float:
    """Convert square metres to hectares (公顷)."""
    return area_m2 / M2_PER_HA


def format_number(value: float | None, decimals: int = 2) -> str:
    """Format a number with thousands separators and fixed decimals; '—' for None."""
    if value is None:
        return "—"
    return f"{value:,.{decimals}f}"
