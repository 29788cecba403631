"""Staff accounts: roles, the user record, and the checks on names and passwords (no Flask)."""

import re
from dataclasses import dataclass

from webapp.domain.errors import InvalidEditError
from webapp.domain.messages import N_

ROLES = ("viewer", "editor", "admin")  # each role can do everything the ones before it can
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
NAME_PATTERN = re.compile(r"[\w.@-]{2,40}")  # letters (CJK too), digits and . @ - _


@dataclass(frozen=True)
class StaffUser:
    """A staff account. `login_epoch` changes on password reset, which ends every session."""

    id: int
    name: str
    role: str
    password_hash: str
    active: bool = True
    login_epoch: int = 1
    created_at: str | None = None

    def can(self, role: str) -> bool:
        """Whether this account's role includes `role` (admin ⊃ editor ⊃ viewer)."""
        return role_includes(self.role, role)


@dataclass(frozen=True)
class LoginAttempt:
    """A reserved login attempt (`token`), or a refusal with the seconds until the next try."""

    token: str | None
    retry_after_s: int = 0


def role_includes(role: str, needed: str) -> bool:
    """Whether `role` is at least `needed` in the order viewer < editor < admin."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def parse_user_name(value: str) -> str:
    """A login name: 2-40 letters, digits or . @ - _ (compared without case)."""
    name = (value or "").strip()
    if not NAME_PATTERN.fullmatch(name):
        raise InvalidEditError({"name": (N_("use 2 to 40 letters, digits or . @ - _"), {})})
    return name


def parse_role(value: str) -> str:
    """One of ROLES."""
    if value not in ROLES:
        raise InvalidEditError({"role": (N_("unknown role “%(role)s”; use one of %(allowed)s"),
                                         {"role": value, "allowed": ", ".join(ROLES)})})
    return value


def check_new_password(password: str, confirmation: str) -> str:
    """A new password of MIN..MAX_PASSWORD_LENGTH characters, typed the same way twice."""
    if not MIN_PASSWORD_LENGTH <= len(password or "") <= MAX_PASSWORD_LENGTH:
        raise InvalidEditError({"password": (
            N_("use %(minimum)s to %(maximum)s characters"),
            {"minimum": MIN_PASSWORD_LENGTH, "maximum": MAX_PASSWORD_LENGTH})})
    if password != confirmation:
        raise InvalidEditError({"password_confirm": (N_("the two passwords differ"), {})})
    return password


def throttle_keys(name: str, address: str | None) -> tuple[str, str]:
    """The counter keys of a login attempt: the account name (any case) and the client address."""
    return f"account:{name.strip().casefold()}", f"address:{address or 'unknown'}"
