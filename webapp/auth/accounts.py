"""Account management shared by the `landgis user` commands and the admin pages."""

from webapp.auth.passwords import hash_password
from webapp.domain.accounts import StaffUser, check_new_password, parse_role, parse_user_name
from webapp.domain.errors import NotFoundError
from webapp.store import ParcelStore


def create_account(store: ParcelStore, name: str, role: str, password: str,
                   confirmation: str) -> StaffUser:
    """A new active account; InvalidEditError names the first bad field."""
    name, role = parse_user_name(name), parse_role(role)
    password = check_new_password(password, confirmation)
    return store.staff.add_user(name, role, hash_password(password))


def find_account(store: ParcelStore, key: int | str) -> StaffUser:
    """An account by id or name, or NotFoundError."""
    user = store.staff.get_user(key)
    if user is None:
        raise NotFoundError(f"no account “{key}”")
    return user


def reset_password(store: ParcelStore, user: StaffUser, password: str,
                   confirmation: str) -> StaffUser:
    """Set a new password; the account's other sessions end."""
    password = check_new_password(password, confirmation)
    return store.staff.update_user(user.id, password_hash=hash_password(password))


def change_account(store: ParcelStore, user: StaffUser, role: str, active: bool) -> StaffUser:
    """Change role and active flag (one active admin must remain)."""
    return store.staff.update_user(user.id, role=parse_role(role), active=active)
