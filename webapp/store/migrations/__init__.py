"""Numbered migrations of the store layout: one module per schema version, `vNNN_name.py`.

Each module has a one-line docstring (its title) and two steps, `geopackage(db)` (an sqlite3
connection in a write transaction) and `postgis(conn, location)` (a psycopg connection in a
transaction, the store's PostGISLocation). Version 1 is the baseline: the layout `ensure_schema`
made before versions were recorded, every statement idempotent, so it also brings a store from
before version records up to date. Adding version 2 is one new module here and
CURRENT_SCHEMA_VERSION = 2; each backend's runner applies what a store lacks, one transaction per
migration, and records the version in the same transaction.
"""

import importlib
import pkgutil
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from webapp.domain.errors import ConfigError
from webapp.store.schema_version import CURRENT_SCHEMA_VERSION

MODULE_NAME = re.compile(r"v(\d{3})_\w+")
BASELINE = 1


class SchemaTooNewError(ConfigError):
    """The store was written by a newer landgis than this one: refuse to touch it."""


class SchemaOutdatedError(ConfigError):
    """The store's layout is older than this release and migrating at start-up is off."""


@dataclass(frozen=True)
class Migration:
    """One schema version's steps on each backend."""

    version: int
    title: str
    geopackage: Callable[[Any], None]
    postgis: Callable[[Any, Any], None]


def all_migrations() -> tuple[Migration, ...]:
    """Every migration module of this package, by version (1, 2, ... CURRENT_SCHEMA_VERSION)."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        match = MODULE_NAME.fullmatch(info.name)
        if match:
            module = importlib.import_module(f"{__name__}.{info.name}")
            title = (module.__doc__ or info.name).strip().splitlines()[0]
            found.append(Migration(int(match[1]), title, module.geopackage, module.postgis))
    found.sort(key=lambda migration: migration.version)
    versions = [migration.version for migration in found]
    if versions != list(range(1, CURRENT_SCHEMA_VERSION + 1)):
        raise RuntimeError(f"migrations {versions} do not number 1..{CURRENT_SCHEMA_VERSION}")
    return tuple(found)


def check_not_newer(recorded: int, migrations: Sequence[Migration], where: str) -> None:
    """SchemaTooNewError when the store's version is above the last migration this code has."""
    newest = migrations[-1].version if migrations else 0
    if recorded > newest:
        raise SchemaTooNewError(
            f"{where} has schema version {recorded}, but this landgis knows versions up to "
            f"{newest}: it was written by a newer landgis. Install that release (or restore a "
            "backup made by this one); landgis does not downgrade a store.")


def is_due(migration: Migration, recorded: int) -> bool:
    """Whether a migration applies to a store at `recorded`: every later one, and the
    baseline again while the store is at it (its statements are idempotent, so what was added
    to this release's layout reaches stores that recorded version 1 already)."""
    return migration.version > recorded or migration.version == recorded == BASELINE
