"""Translated names for the problem pages: field labels, how changes were made, values shown."""

from flask_babel import gettext as _

from webapp.domain.pipeline import PROBLEM_STATUS_TITLES


def problem_labels() -> dict[str, str]:
    """Display name of every problem field and audit row kind in the current language."""
    return {"title": _("Problem"), "department": _("Lead department"),
            "due_date": _("Due date"), "status": _("Status"), "notes": _("Notes"),
            "public": _("Shown to investors"), "created": _("Created"),
            "erased": _("Personal data erased")}


def pipeline_source_names() -> dict[str, str]:
    """Display name of each way a pipeline change can be made."""
    return {"form": _("Staff form"), "enquiry": _("From an enquiry"), "erasure": _("Erasure")}


def show_problem_value(field: str, value: object) -> str:
    """A stored problem value as staff read it: status names, yes/no, an em dash for none."""
    if value is None or value == "":
        return "—"
    if field == "status":
        title = PROBLEM_STATUS_TITLES.get(str(value))
        return _(title) if title else str(value)
    if field == "public" or isinstance(value, bool):
        return _("Yes") if value in (True, "true") else _("No")
    return str(value)


def show_problem_input(field: str, text: str) -> str:
    """What a user typed or chose, shown like a stored value."""
    text = (text or "").strip()
    if field == "public":
        return show_problem_value(field, text in ("true", "on", "1", "yes"))
    return show_problem_value(field, text or None)
