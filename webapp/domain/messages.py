"""Marker for user-facing messages written outside Flask; the HTTP layer translates them."""


def N_(message: str) -> str:  # noqa: N802 - gettext convention, extracted by pybabel (-k N_)
    """Mark a message for translation without translating it here."""
    return message
