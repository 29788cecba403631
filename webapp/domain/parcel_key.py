"""How a parcel is named in a URL: its id (ASCII digits, signed 64-bit) or its code."""

MAX_PARCEL_ID = 2**63 - 1  # the largest SQLite/PostgreSQL bigint; parcel ids are at most this
MAX_ID_DIGITS = len(str(MAX_PARCEL_ID))


def parse_parcel_id(text: str) -> int | None:
    """The parcel id `text` names: ASCII digits only (not ², ٣ or full-width digits), at most
    MAX_PARCEL_ID; None for anything else."""
    if not (text.isascii() and text.isdigit() and len(text.lstrip("0")) <= MAX_ID_DIGITS):
        return None
    number = int(text)
    return number if number <= MAX_PARCEL_ID else None


def parse_parcel_key(text: str) -> int | str | None:
    """An id (see parse_parcel_id) or else a parcel code; None for text no code can hold
    (empty, or with a NUL character, which PostgreSQL text cannot store)."""
    if not text or "\x00" in text:
        return None
    number = parse_parcel_id(text)
    return text if number is None else number


def parcel_url_key(code: str, parcel_id: int) -> str:
    """What a link to the parcel's page puts in its path: the code, readable and stable, unless
    the code could name something else there: all digits (read as an id), a slash or backslash
    (browsers resolve `..` segments, so `a/../../x` would leave /parcels/), or `.`/`..`; then
    the id."""
    unsafe = ("/" in code or "\\" in code or code in (".", "..")
              or parse_parcel_id(code) is not None or not code)
    return str(parcel_id) if unsafe else code
