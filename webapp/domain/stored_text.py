"""What any free text must be to be stored: no NUL character (PostgreSQL text cannot hold one,
and no keyboard types it), so every form parser refuses it with the same message."""

from webapp.domain.messages import N_

NUL_MESSAGE = N_("contains a NUL character, which cannot be stored")


def holds_nul(text: str) -> bool:
    """Whether the text holds a character no store can keep."""
    return "\x00" in text
