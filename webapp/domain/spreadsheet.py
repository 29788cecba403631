"""CSV cells that spreadsheet programs (Excel, WPS, LibreOffice) show as text, never run."""

# A cell starting with one of these is read as a formula (OWASP "CSV injection"); tab and
# carriage return too, because some programs strip them and then see the next character.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """The value, with a leading apostrophe when it is text a spreadsheet would run as a formula.

    Numbers stay numbers (a negative area is data, not a formula); only str values change.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
