"""Staff accounts: roles, the user record, and the checks on names and passwords (no Flask)."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from webapp.domain.errors import InvalidEditError
from webapp.domain.messages import N_

ROLES = ("viewer", "editor", "admin")  # each role can do everything the ones before it can
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
NAME_PATTERN = re.compile(r"[\w.@-]{2,40}")  # letters (CJK too), digits and . @ - _


@dataclass(frozen=True)
class StaffUser:
    """A staff account. `login_epoch` changes on password reset and when the account is
    disabled, which ends every session."""

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


DOTTED_I = str.maketrans({"\u0131": "i", "\u0307": None})  # Turkish dotless i, the dot of İ


def login_name_key(name: str) -> str:
    """How login names compare on every store: NFKC-normalised, case-folded, and the Turkish
    i's (İ, i̇, dotless i, I, i) made one letter; full-width letters count as ASCII. It folds at
    least as much as SQLite's NOCASE and PostgreSQL's lower() (which turns “İ” into “i” or “i̇” by
    collation), so neither of them decides which account a name means."""
    folded = unicodedata.normalize("NFKC", name.strip()).casefold().translate(DOTTED_I)
    return unicodedata.normalize("NFKC", folded)


def find_by_login_name(users: Iterable[StaffUser], name: str) -> StaffUser | None:
    """The account whose name compares equal to `name` (login_name_key); the exact spelling,
    else the oldest, wins where accounts made before this rule collide."""
    key = login_name_key(name)
    matches = sorted((u for u in users if login_name_key(u.name) == key), key=lambda u: u.id)
    exact = [u for u in matches if u.name == name.strip()]
    found = exact or matches
    return found[0] if found else None


MAX_THROTTLE_NAME_LENGTH = 100  # a typed name is counted under at most this many characters


def throttle_keys(name: str, address: str | None,
                  account: StaffUser | None = None) -> tuple[str, str]:
    """The counter keys of a login attempt: the matched account's id (every spelling of its name
    shares one counter), else the typed name as login_name_key folds it, and the client
    address."""
    limit = MAX_THROTTLE_NAME_LENGTH
    account_key = (f"account-id:{account.id}" if account is not None
                   else f"account:{login_name_key(name[:limit])[:limit]}")
    return account_key, f"address:{address or 'unknown'}"
