"""Logging in with throttling: counters in the store, so the limit holds across processes."""

import time
from dataclasses import dataclass

from flask import Flask
from flask_babel import gettext as _

from webapp.auth.passwords import password_matches
from webapp.domain.accounts import StaffUser, throttle_keys
from webapp.domain.errors import TooManyAttemptsError
from webapp.store import ParcelStore

MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class ThrottleSettings:
    """Failed logins allowed per account and per address within a window of seconds."""

    per_account: int
    per_address: int
    window_s: int

    @classmethod
    def from_config(cls, app: Flask) -> "ThrottleSettings":
        """The LOGIN_* settings of the app."""
        config = app.config
        return cls(config["LOGIN_MAX_FAILURES"], config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
                   config["LOGIN_WINDOW_MINUTES"] * 60)


def check_login(store: ParcelStore, name: str, password: str, address: str | None,
                throttle: ThrottleSettings) -> StaffUser | None:
    """The active account with this name and password, or None; TooManyAttemptsError when the
    account or the address has used up its failed attempts. Failures are counted per matched
    account (any spelling of its name), else per typed name as the stores fold it."""
    user = store.staff.get_user(name.strip()) if 0 < len(name) <= MAX_NAME_LENGTH else None
    account_key, address_key = throttle_keys(name[:MAX_NAME_LENGTH], address, user)
    attempt = store.staff.reserve_login_attempt(
        {account_key: throttle.per_account, address_key: throttle.per_address},
        throttle.window_s, time.time())
    if attempt.token is None:
        minutes = max(1, -(-attempt.retry_after_s // 60))
        raise TooManyAttemptsError(_("Too many failed logins for this account or from this "
                                     "address. Try again in %(minutes)s minutes.",
                                     minutes=minutes), attempt.retry_after_s)
    matches = password_matches(user.password_hash if user else None, password)
    if not (matches and user.active):
        return None
    store.staff.release_login_attempt(attempt.token, clear_keys=(account_key,))
    return user
