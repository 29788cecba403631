"""PostGIS backups (`store.backups`) through PostgreSQL's own tools.

A backup is `pg_dump --format=custom --schema=NAME` of the store's schema: one consistent
snapshot (pg_dump reads in one repeatable-read transaction) taken while servers keep editing.
It is checked by reading it back whole with pg_restore, counting the rows of landgis's tables.
A restore replays the dump into a fresh schema and swaps it in within one transaction
(`pg_restore | psql --single-transaction`): the current schema is renamed aside (kept, not
dropped), the dump creates the schema again under its name, and both generation counters are
lifted so no server's in-memory caches answer from the old content. Readers see the old schema
until the commit and the new one after; renaming a schema drops every cached query plan.
"""

import re
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from webapp.store.backup_store import BackupError, Progress, StoreBackups
from webapp.store.postgis.context_schema import CONTEXT_STATE
from webapp.store.postgis.location import SCHEMA_PATTERN, PostGISLocation
from webapp.store.postgis.pg_tools import failure_text, run_tool, tool, tool_environment
from webapp.store.postgis.summary import STATE
from webapp.store.schema_version import CURRENT_SCHEMA_VERSION, META_TABLE, VERSION_KEY
from webapp.store.store_counts import StoreCounts
from webapp.store.tables import (
    CONTEXT_LAYERS,
    ENQUIRIES,
    PARCEL_CHANGES,
    PARCELS,
    PROJECTS,
    USERS,
)

COPY_LINE = re.compile(r'COPY "?(?P<schema>[^". ]+)"?\."?(?P<table>[^". ]+)"? ')
COUNTED = {PARCELS: "parcels", PARCEL_CHANGES: "audit_records", USERS: "accounts",
           CONTEXT_LAYERS: "context_layers", ENQUIRIES: "enquiries", PROJECTS: "projects"}


class PostGISBackups(StoreBackups):
    """Backups of one PostGIS schema; `migrate` upgrades the store after a restore."""

    suffix = ".dump"

    def __init__(self, location: PostGISLocation, migrate: Callable[[], object]) -> None:
        self.location = location
        self.store_name = location.schema
        self.migrate = migrate

    def write(self, path: Path, progress: Progress | None = None) -> None:
        conninfo, _ = tool_environment(self.location)
        run_tool(self.location, [tool("pg_dump"), "--format=custom", "--no-password",
                                 f"--schema={self.location.schema}", f"--file={path}",
                                 f"--dbname={conninfo}"])

    def inspect(self, path: Path) -> StoreCounts:
        schema, counts, version = read_dump(self.location, path)
        if schema != self.location.schema:
            raise BackupError(f"{path.name} holds schema {schema}, not this store's "
                              f"{self.location.schema}")
        if version > CURRENT_SCHEMA_VERSION:
            raise BackupError(f"{path.name} has schema version {version}, newer than this "
                              f"landgis ({CURRENT_SCHEMA_VERSION}) can read")
        return StoreCounts(**counts, schema_version=version)

    def restore(self, path: Path, aside_folder: Path, progress: Progress | None = None) -> str:
        self.inspect(path)
        live = self.location.schema
        if live == "public":
            raise BackupError("restoring into schema public is not supported: give the store "
                              "its own schema (?schema=landgis), see README: PostGIS")
        aside = aside_schema(live)
        state, context_state = STATE, CONTEXT_STATE
        lifts = [f'UPDATE "{live}"."{table}" SET generation = GREATEST(generation, '
                 f'(SELECT generation FROM "{aside}"."{table}")) + 1'
                 for table in (state, context_state)]
        conninfo, env = tool_environment(self.location)
        restore = subprocess.Popen([tool("pg_restore"), "--no-owner", "--file=-", str(path)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        psql = [tool("psql"), "--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1",
                "--single-transaction", f"--dbname={conninfo}",
                f'--command=ALTER SCHEMA "{live}" RENAME TO "{aside}"', "--file=-",
                *(f"--command={lift}" for lift in lifts)]
        try:
            run_tool(self.location, psql, stdin=restore.stdout.fileno())  # type: ignore[union-attr]
        finally:
            restore.stdout.close()  # type: ignore[union-attr]
            errors = restore.stderr.read()  # type: ignore[union-attr]
            restore.stderr.close()  # type: ignore[union-attr]
            if restore.wait() != 0:
                raise BackupError(failure_text(self.location, "pg_restore", errors))
        self.migrate()
        return f"schema {aside} (DROP SCHEMA {aside} CASCADE once it is no longer needed)"


def aside_schema(live: str) -> str:
    """The name the current schema is kept under: `<live>_before_restore_<UTC time>`."""
    name = f"{live[:30]}_before_restore_{datetime.now(UTC):%Y%m%d%H%M%S}"
    if not SCHEMA_PATTERN.fullmatch(name):
        raise BackupError(f"cannot name the aside schema of {live}")
    return name


class DumpTally:
    """Rows of landgis's tables, the schema and the version record in pg_restore's data
    output (COPY blocks, one row per line, ended by a `\\.` line)."""

    def __init__(self) -> None:
        self.schema: str | None = None
        self.version: int | None = None
        self.counts = dict.fromkeys(COUNTED.values(), -1)  # -1: the table is not in the dump
        self._table: str | None = None

    def feed(self, line: str) -> None:
        """Take one line of output."""
        if self._table is None:
            match = COPY_LINE.match(line)
            if match:
                self.schema, self._table = match["schema"], match["table"]
                if self._table in COUNTED:
                    self.counts[COUNTED[self._table]] = 0
        elif line == "\\.\n":
            self._table = None
        elif self._table in COUNTED:
            self.counts[COUNTED[self._table]] += 1
        elif self._table == META_TABLE and line.startswith(f"{VERSION_KEY}\t"):
            self.version = int(line.split("\t")[1])


def read_dump(location: PostGISLocation, path: Path) -> tuple[str, dict[str, int], int]:
    """Read a whole custom-format dump back: its schema, row counts of landgis's tables and
    schema version. BackupError when pg_restore cannot read it (incomplete, damaged, not a
    dump) or it lacks the parcel table or version record."""
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    process = subprocess.Popen([tool("pg_restore"), "--data-only", "--file=-", str(path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=tool_environment(location)[1])
    tally = DumpTally()
    for raw in process.stdout:  # type: ignore[union-attr]
        tally.feed(raw.decode("utf-8", "replace"))
    errors = process.stderr.read()  # type: ignore[union-attr]
    if process.wait() != 0:
        raise BackupError(f"{path.name}: " + failure_text(location, "pg_restore", errors))
    missing = [name for name, n in tally.counts.items() if n < 0]
    if tally.schema is None or tally.version is None or missing:
        raise BackupError(f"{path.name} is not a landgis store dump (missing: "
                          f"{', '.join(missing or [VERSION_KEY])})")
    return tally.schema, tally.counts, tally.version
