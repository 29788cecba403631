"""Staff tables inside the GeoPackage: schema, accounts and login-attempt counters.

The tables are plain SQLite tables in the parcel file, registered in gpkg_contents with the
implementer-defined data type `landgis_staff`, so GDAL and QGIS list only the parcel layer
(unregistered tables would show up as extra layers).
"""

import secrets
import sqlite3
from typing import Any

from webapp.domain.accounts import LoginAttempt, StaffUser, find_by_login_name
from webapp.domain.audit import utc_now_iso
from webapp.domain.errors import InvalidEditError, NotFoundError
from webapp.domain.messages import N_
from webapp.store.geopackage.database import GeoPackageFile
from webapp.store.geopackage.registry import register_tables
from webapp.store.interface import StaffStore
from webapp.store.tables import LOGIN_ATTEMPTS as ATTEMPTS
from webapp.store.tables import PARCEL_CHANGES as CHANGES
from webapp.store.tables import USER_COLUMNS, USERS

DATA_TYPE = "landgis_staff"
EXTENSION = "landgis_staff_tables"

SCHEMA = (
    f"""CREATE TABLE IF NOT EXISTS {USERS} (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        login_epoch INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL)""",
    f"""CREATE TABLE IF NOT EXISTS {ATTEMPTS} (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        token TEXT NOT NULL,
        key TEXT NOT NULL,
        at_s REAL NOT NULL)""",
    f"CREATE INDEX IF NOT EXISTS idx_{ATTEMPTS}_key ON {ATTEMPTS} (key, at_s)",
    f"""CREATE TABLE IF NOT EXISTS {CHANGES} (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        changed_at TEXT NOT NULL,
        actor TEXT NOT NULL,
        parcel_id INTEGER NOT NULL,
        parcel_code TEXT NOT NULL,
        field TEXT NOT NULL,
        old_value TEXT,
        new_value TEXT,
        source TEXT NOT NULL,
        version INTEGER NOT NULL)""",
    f"CREATE INDEX IF NOT EXISTS idx_{CHANGES}_parcel ON {CHANGES} (parcel_id, version)",
    f"CREATE INDEX IF NOT EXISTS idx_{CHANGES}_time ON {CHANGES} (changed_at)",
)


def register_staff_tables(db: sqlite3.Connection) -> None:
    """Register the staff tables as non-feature content so GIS clients do not list them."""
    register_tables(db, (USERS, ATTEMPTS, CHANGES), DATA_TYPE,
                    "landgis staff data (not a map layer)", EXTENSION,
                    "landgis README: Staff accounts and editing")


def _user(row: tuple[Any, ...]) -> StaffUser:
    user_id, name, role, password_hash, active, epoch, created_at = row
    return StaffUser(user_id, name, role, password_hash, bool(active), epoch, created_at)


def create_staff_tables(db: sqlite3.Connection) -> None:
    """Create and register the staff tables where they are missing (idempotent, cheap)."""
    for statement in SCHEMA:
        db.execute(statement)
    register_staff_tables(db)


def _user_named(db: sqlite3.Connection, name: str) -> StaffUser | None:
    """The account whose name compares equal to `name` (login_name_key, in Python: NOCASE
    folds ASCII only). The staff table holds tens of rows, so reading them all is cheap."""
    return find_by_login_name(map(_user, db.execute(f"SELECT {USER_COLUMNS} FROM {USERS}")),
                              name)


def _active_admins(db: sqlite3.Connection) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {USERS} WHERE role = 'admin' AND active = 1"
                      ).fetchone()[0]


class GeoPackageStaff(StaffStore):
    """Accounts and login throttling in the store file (one SQLite file, many processes)."""

    def __init__(self, database: GeoPackageFile) -> None:
        self.database = database

    def add_user(self, name: str, role: str, password_hash: str) -> StaffUser:
        try:
            with self.database.write_transaction() as db:
                if _user_named(db, name) is not None:
                    raise sqlite3.IntegrityError("name taken under login_name_key")
                cursor = db.execute(f"INSERT INTO {USERS} (name, role, password_hash, "
                                    "created_at) VALUES (?, ?, ?, ?)",
                                    (name, role, password_hash, utc_now_iso()))
                return _user(db.execute(f"SELECT {USER_COLUMNS} FROM {USERS} WHERE id = ?",
                                        (cursor.lastrowid,)).fetchone())
        except sqlite3.IntegrityError:
            raise InvalidEditError({"name": (N_("the name “%(name)s” is already taken"),
                                             {"name": name})}) from None

    def get_user(self, key: int | str) -> StaffUser | None:
        with self.database.read() as db:
            if not isinstance(key, int):
                return _user_named(db, key)
            if not -2**63 <= key < 2**63:  # SQLite's integer range
                return None
            row = db.execute(f"SELECT {USER_COLUMNS} FROM {USERS} WHERE id = ?",
                             (key,)).fetchone()
        return None if row is None else _user(row)

    def users(self) -> list[StaffUser]:
        with self.database.read() as db:
            rows = db.execute(f"SELECT {USER_COLUMNS} FROM {USERS} ORDER BY name").fetchall()
        return [_user(row) for row in rows]

    def update_user(self, user_id: int, role: str | None = None,
                    active: bool | None = None, password_hash: str | None = None) -> StaffUser:
        with self.database.write_transaction() as db:
            if db.execute(f"SELECT 1 FROM {USERS} WHERE id = ?", (user_id,)).fetchone() is None:
                raise NotFoundError(f"no account has the id {user_id}")
            admins_before = _active_admins(db)
            if role is not None:
                db.execute(f"UPDATE {USERS} SET role = ? WHERE id = ?", (role, user_id))
            if active is not None:
                # Disabling ends the account's sessions for good: enabling it again later
                # does not bring back the old epoch (see StaffUser.login_epoch).
                db.execute(f"UPDATE {USERS} SET login_epoch = login_epoch + (active = 1 AND ? = 0),"
                           " active = ? WHERE id = ?", (int(active), int(active), user_id))
            if password_hash is not None:
                db.execute(f"UPDATE {USERS} SET password_hash = ?, login_epoch = login_epoch + 1 "
                           "WHERE id = ?", (password_hash, user_id))
            if admins_before and not _active_admins(db):
                raise InvalidEditError({"role": (N_("at least one active admin must remain"),
                                                 {})})
            return _user(db.execute(f"SELECT {USER_COLUMNS} FROM {USERS} WHERE id = ?",
                                    (user_id,)).fetchone())

    def reserve_login_attempt(self, limits: dict[str, int], window_s: int,
                              now_s: float) -> LoginAttempt:
        since = now_s - window_s
        with self.database.write_transaction() as db:
            db.execute(f"DELETE FROM {ATTEMPTS} WHERE at_s < ?", (since,))
            waits = []
            for key, limit in limits.items():
                count, oldest = db.execute(f"SELECT COUNT(*), MIN(at_s) FROM {ATTEMPTS} "
                                           "WHERE key = ? AND at_s >= ?", (key, since)).fetchone()
                if count >= limit:
                    waits.append(int(oldest + window_s - now_s) + 1)
            if waits:
                return LoginAttempt(None, max(waits))
            token = secrets.token_hex(16)
            db.executemany(f"INSERT INTO {ATTEMPTS} (token, key, at_s) VALUES (?, ?, ?)",
                           [(token, key, now_s) for key in limits])
        return LoginAttempt(token)

    def release_login_attempt(self, token: str,
                              clear_keys: tuple[str, ...] = ()) -> None:
        with self.database.write_transaction() as db:
            db.execute(f"DELETE FROM {ATTEMPTS} WHERE token = ?", (token,))
            db.executemany(f"DELETE FROM {ATTEMPTS} WHERE key = ?", [(k,) for k in clear_keys])
