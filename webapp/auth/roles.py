"""Who may do what: viewer < editor < admin, checked on every staff route."""

from collections.abc import Callable
from functools import wraps

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user

from webapp.domain.errors import ForbiddenError


def role_required(role: str) -> Callable:
    """Decorate a view: anonymous users are sent to log in, lesser roles get 403."""
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.can(role):
                raise ForbiddenError(_("This needs the role “%(role)s”.", role=role))
            return view(*args, **kwargs)

        guarded.required_role = role
        return guarded

    return decorate


def is_staff() -> bool:
    """Whether a staff member (any role) is logged in; staff see draft parcels."""
    return bool(current_user and current_user.is_authenticated)


def current_actor() -> str:
    """The logged-in staff member's name, as the audit trail records it."""
    return current_user.name
