"""A store URL without a host (libpq's Unix socket, peer authentication, as Debian admins use):
`postgresql:///DB?schema=NAME` serves the app."""

import os
import pwd
import secrets
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from tests.conftest import DATA, make_app
from tests.store.postgis_fixtures import postgis_url

SOCKET_DIR = Path("/var/run/postgresql")


def run_as_postgres(database: str, sql: str) -> None:
    """Run SQL as the database superuser through the socket (peer authentication)."""
    subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-q", "-v", "ON_ERROR_STOP=1",
                    "-d", database, "-c", sql], check=True, capture_output=True, cwd="/")


@pytest.fixture
def peer_database():
    """(database name, role) that this OS user reaches over the socket by peer authentication:
    a role named like the OS user, member of the test role, dropped afterwards."""
    tcp = conninfo_to_dict(postgis_url())
    if os.geteuid() != 0 or not shutil.which("runuser") or not SOCKET_DIR.is_dir():
        pytest.skip("needs root, runuser and a PostgreSQL socket in /var/run/postgresql")
    role, database = pwd.getpwuid(os.geteuid()).pw_name, tcp["dbname"]
    with psycopg.connect(postgis_url()) as conn:
        existed = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    if not existed:
        run_as_postgres(database, f'CREATE ROLE "{role}" LOGIN IN ROLE "{tcp["user"]}"')
    try:
        yield database, role
    finally:
        if not existed:
            run_as_postgres(database, f'DROP ROLE "{role}"')


@pytest.mark.parametrize("host", ["", f"host={SOCKET_DIR}&", "host=%2Fvar%2Frun%2Fpostgresql&"])
def test_postgis_socket_url_serves_the_app(peer_database, tmp_path, host):
    database, role = peer_database
    schema = f"landgis_t_{secrets.token_hex(6)}"
    url = f"postgresql:///{database}?{host}schema={schema}"
    app = make_app(tmp_path, DATA / "small.geojson", STORE_URL=url)
    store = app.extensions["landgis.store"]
    try:
        assert app.test_client().get("/parcels/T-001?lang=en").status_code == 200
        with store.database.transaction() as conn:  # over the socket: no server address, peer role
            assert conn.execute("SELECT current_user, inet_server_addr()").fetchone() == (
                role, None)
    finally:
        with store.database.transaction() as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        store.close()
