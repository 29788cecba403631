"""Why a parcel ranks where it does: one Reason per criterion, a translatable message with its
values (the HTTP layer translates the message and fills in `params`)."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from webapp.domain.parcel import format_range

MEETS, UNKNOWN, MISSES = "meets", "unknown", "misses"


@dataclass(frozen=True)
class Reason:
    """One criterion's verdict on a parcel or group.

    message is an English template marked with N_, params the formatted values it takes
    (language-neutral text: numbers, names), values the raw figures for API clients (units in
    their keys). outcome is meets, unknown or misses; points what it adds to the score (0-1 of
    its weight), None when it is not scored (the group description).
    """

    code: str
    message: str
    params: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, object] = field(default_factory=dict)
    outcome: str = MEETS
    points: float | None = None


def format_distance(metres: float) -> str:
    """'850 m' below a kilometre, '1.8 km' from one (one decimal, none when whole)."""
    if metres < 1000:
        return f"{metres:.0f} m"
    km = f"{metres / 1000:.1f}".removesuffix(".0")
    return f"{km} km"


def format_amount(value: float) -> str:
    """A figure as people read it: thousands separators, at most 2 decimals, no trailing 0."""
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_bounds(low: float | None, high: float | None) -> str:
    """A range as on notices: '60–80', '≥ 60', '≤ 80' ('—' when open on both ends)."""
    return format_range(low, high, number=format_amount, dash="–")
