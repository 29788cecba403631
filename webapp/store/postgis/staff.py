"""Staff accounts and login throttling in PostGIS, shared by every server process.

Account names are unique without case (an index on lower(name)). Login attempts are counted
under a table lock, so processes reserving attempts at once are serialised and the limit is exact.
"""

import secrets
from typing import Any

import psycopg

from webapp.domain.accounts import LoginAttempt, StaffUser, find_by_login_name
from webapp.domain.audit import utc_now_iso
from webapp.domain.errors import InvalidEditError, NotFoundError
from webapp.domain.messages import N_
from webapp.store.interface import StaffStore
from webapp.store.postgis.database import PostGISDatabase, first_row
from webapp.store.tables import LOGIN_ATTEMPTS as ATTEMPTS
from webapp.store.tables import USER_COLUMNS, USERS


def _user(row: tuple[Any, ...]) -> StaffUser:
    return StaffUser(*row)


def _active_admins(conn: psycopg.Connection, users: str) -> int:
    sql = f"SELECT COUNT(*) FROM {users} WHERE role = 'admin' AND active"
    return first_row(conn.execute(sql))[0]


def _user_named(conn: psycopg.Connection, users: str, name: str) -> StaffUser | None:
    """The account whose name compares equal to `name` (login_name_key, in Python, as on every
    store: lower() depends on the database's collation). The staff table holds tens of rows."""
    return find_by_login_name(map(_user, conn.execute(f"SELECT {USER_COLUMNS} FROM {users}")),
                              name)


def _in_int_range(key: int) -> bool:
    return -2**31 <= key < 2**31


class PostGISStaff(StaffStore):
    """Accounts and login throttling in the store's schema."""

    def __init__(self, database: PostGISDatabase) -> None:
        self.database = database

    def add_user(self, name: str, role: str,
                 password_hash: str) -> StaffUser:
        users = self.database.location.table(USERS)
        try:
            with self.database.transaction() as conn:
                conn.execute(f"LOCK TABLE {users} IN SHARE ROW EXCLUSIVE MODE")
                if _user_named(conn, users, name) is not None:
                    raise psycopg.errors.UniqueViolation("name taken under login_name_key")
                return _user(first_row(conn.execute(
                    f"INSERT INTO {users} (name, role, password_hash, "
                    f"created_at) VALUES (%s, %s, %s, %s) RETURNING {USER_COLUMNS}",
                    (name, role, password_hash, utc_now_iso()))))
        except psycopg.errors.UniqueViolation:
            raise InvalidEditError({"name": (N_("the name “%(name)s” is already taken"),
                                             {"name": name})}) from None

    def get_user(self, key: int | str) -> StaffUser | None:
        if isinstance(key, int) and not _in_int_range(key):
            return None
        users = self.database.location.table(USERS)
        with self.database.transaction() as conn:
            if not isinstance(key, int):
                return _user_named(conn, users, key)
            row = conn.execute(f"SELECT {USER_COLUMNS} FROM {users} WHERE id = %s",
                               (key,)).fetchone()
        return None if row is None else _user(row)

    def users(self) -> list[StaffUser]:
        with self.database.transaction() as conn:
            rows = conn.execute(f"SELECT {USER_COLUMNS} FROM {self.database.location.table(USERS)} "
                                'ORDER BY lower(name) COLLATE "C", name COLLATE "C"').fetchall()
        return [_user(row) for row in rows]

    def update_user(self, user_id: int, role: str | None = None,
                    active: bool | None = None, password_hash: str | None = None) -> StaffUser:
        users = self.database.location.table(USERS)
        with self.database.transaction() as conn:
            # One account change at a time, so two admins cannot demote each other at once.
            conn.execute(f"LOCK TABLE {users} IN SHARE ROW EXCLUSIVE MODE")
            if not _in_int_range(user_id) or conn.execute(
                    f"SELECT 1 FROM {users} WHERE id = %s", (user_id,)).fetchone() is None:
                raise NotFoundError(f"no account has the id {user_id}")
            admins_before = _active_admins(conn, users)
            if role is not None:
                conn.execute(f"UPDATE {users} SET role = %s WHERE id = %s", (role, user_id))
            if active is not None:
                # Disabling ends the account's sessions for good (enabling keeps the new epoch).
                conn.execute(f"UPDATE {users} SET login_epoch = login_epoch + "
                             "CASE WHEN active AND NOT %s THEN 1 ELSE 0 END, active = %s "
                             "WHERE id = %s", (active, active, user_id))
            if password_hash is not None:
                conn.execute(f"UPDATE {users} SET password_hash = %s, "
                             "login_epoch = login_epoch + 1 WHERE id = %s",
                             (password_hash, user_id))
            if admins_before and not _active_admins(conn, users):
                raise InvalidEditError({"role": (N_("at least one active admin must remain"),
                                                 {})})
            return _user(first_row(conn.execute(f"SELECT {USER_COLUMNS} FROM {users} "
                                                "WHERE id = %s", (user_id,))))

    def reserve_login_attempt(self, limits: dict[str, int], window_s: int,
                              now_s: float) -> LoginAttempt:
        attempts, since = self.database.location.table(ATTEMPTS), now_s - window_s
        with self.database.transaction() as conn:
            conn.execute(f"LOCK TABLE {attempts} IN SHARE ROW EXCLUSIVE MODE")
            conn.execute(f"DELETE FROM {attempts} WHERE at_s < %s", (since,))
            waits = []
            for key, limit in limits.items():
                count, oldest = first_row(conn.execute(
                    f"SELECT COUNT(*), MIN(at_s) FROM {attempts} WHERE key = %s AND at_s >= %s",
                    (key, since)))
                if count >= limit:
                    waits.append(int(oldest + window_s - now_s) + 1)
            if waits:
                return LoginAttempt(None, max(waits))
            token = secrets.token_hex(16)
            with conn.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {attempts} (token, key, at_s) "
                                   "VALUES (%s, %s, %s)", [(token, key, now_s) for key in limits])
        return LoginAttempt(token)

    def release_login_attempt(self, token: str,
                              clear_keys: tuple[str, ...] = ()) -> None:
        attempts = self.database.location.table(ATTEMPTS)
        with self.database.transaction() as conn:
            conn.execute(f"DELETE FROM {attempts} WHERE token = %s", (token,))
            if clear_keys:
                conn.execute(f"DELETE FROM {attempts} WHERE key = ANY(%s)", (list(clear_keys),))
