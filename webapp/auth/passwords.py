"""Password hashes: Werkzeug's default (scrypt), and a stand-in so unknown names take as long."""

from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash


def hash_password(password: str) -> str:
    """A salted hash of the password with Werkzeug's default method (scrypt)."""
    return generate_password_hash(password)


@cache
def _stand_in_hash() -> str:
    return generate_password_hash("no account has this password")


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether the password fits the hash; checks a stand-in hash when there is no account."""
    if password_hash is None:
        check_password_hash(_stand_in_hash(), password)
        return False
    return check_password_hash(password_hash, password)
