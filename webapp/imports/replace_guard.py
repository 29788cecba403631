"""Who may replace all parcels (IMPORT_REPLACE_ROLE), and the second confirmation a replace-all
needs: the staff member names the number of parcels it removes."""

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user

from webapp.domain.errors import ForbiddenError, InvalidParameterError
from webapp.domain.messages import N_
from webapp.importing.pipeline import MODES

REPLACE = "replace"
CONFIRM_FIELD = "confirm_removed"  # the form field that names the number removed


def replace_role() -> str:
    """The role that may replace all parcels (setting IMPORT_REPLACE_ROLE)."""
    return current_app.config["IMPORT_REPLACE_ROLE"]


def may_replace() -> bool:
    """Whether the logged-in staff member may replace all parcels."""
    return bool(current_user.is_authenticated and current_user.can(replace_role()))


def offered_modes() -> tuple[str, ...]:
    """The import modes the logged-in staff member may choose."""
    return tuple(mode for mode in MODES if mode != REPLACE or may_replace())


def check_mode_allowed(mode: str) -> None:
    """ForbiddenError (403) when the mode is replace-all and the role may not replace."""
    if mode == REPLACE and not may_replace():
        raise ForbiddenError(_("Replacing all parcels needs the role “%(role)s”; choose "
                               "“update and add” instead.", role=replace_role()))


def check_removal_confirmed(confirmation: str | None, removed: int) -> None:
    """InvalidParameterError (400) unless a replace-all that removes parcels is confirmed by
    naming that number (the text of the form's CONFIRM_FIELD); call before writing."""
    if removed and (confirmation or "").strip() != str(removed):
        raise InvalidParameterError(
            CONFIRM_FIELD, N_("replacing all parcels deletes %(removed)s stored parcels; "
                              "confirm that number to import. Nothing was written."),
            removed=removed)
