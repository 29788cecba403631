"""Running PostgreSQL's client tools (pg_dump, pg_restore, psql) for a store's database.

The password never goes on a command line (other local users can read those): the tools get
the connection string without it and the password in PGPASSWORD.
"""

import os
import shutil
import subprocess
from collections.abc import Sequence

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from webapp.store.backup_store import BackupError
from webapp.store.postgis.location import PostGISLocation
from webapp.store.redaction import scrub_secrets

TOOLS_HINT = ("install PostgreSQL's client tools of the server's major version or newer "
              "(Debian: apt-get install postgresql-client-15); see README: Backups and upgrades")


def tool(name: str) -> str:
    """The path of a client tool; BackupError naming what to install when it is missing."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: {TOOLS_HINT}")
    return found


def tool_environment(location: PostGISLocation) -> tuple[str, dict[str, str]]:
    """The connection string without its password, and the environment that carries it."""
    params = conninfo_to_dict(location.conninfo)
    password = params.pop("password", None)
    env = {**os.environ, "PGCONNECT_TIMEOUT": os.environ.get("PGCONNECT_TIMEOUT", "10")}
    if password is not None:
        env["PGPASSWORD"] = str(password)
    return make_conninfo("", **params), env


def run_tool(location: PostGISLocation, args: Sequence[str],
             stdin: int | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run a tool to completion; BackupError with its message (password masked) on failure."""
    process = subprocess.run(list(args), stdin=stdin, capture_output=True, check=False,
                             env=tool_environment(location)[1])
    if process.returncode != 0:
        raise BackupError(failure_text(location, args[0], process.stderr))
    return process


def failure_text(location: PostGISLocation, program: str, stderr: bytes) -> str:
    """A tool's error output as one readable message, the password masked."""
    text = " ".join(stderr.decode("utf-8", "replace").split())[:2000]
    return scrub_secrets(f"{os.path.basename(program)} failed: {text}", location.conninfo)
