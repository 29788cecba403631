"""Several waitress server processes on one instance folder (one GeoPackage store)."""

import os
import subprocess
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "live-test-secret"  # shared: a session started on one server is valid on all


def prepare_instance(tmp_path: Path, accounts: dict[str, str], **settings):
    """Create the store from the four-parcel district and the accounts; returns the app."""
    app = make_app(tmp_path, DATA / "small.geojson", SECRET_KEY=SECRET_KEY, **settings)
    add_staff(app, accounts)
    return app


def server_environment(app) -> dict[str, str]:
    """LANDGIS_* variables that make a server process use the same instance and settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANDGIS_")}
    config = app.config
    env.update({"LANDGIS_INSTANCE_PATH": app.instance_path, "LANDGIS_SECRET_KEY": SECRET_KEY,
                "LANDGIS_SAMPLE_PATH": config["SAMPLE_PATH"], "LANDGIS_BASEMAP_URL": "",
                "LANDGIS_VERSION_CHECKS": str(config["VERSION_CHECKS"]).lower(),
                "LANDGIS_LOGIN_MAX_FAILURES": str(config["LOGIN_MAX_FAILURES"]),
                "LANDGIS_LOGIN_MAX_FAILURES_PER_ADDRESS":
                    str(config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
                # one loopback client sends every request: per-address limits stay off here
                "LANDGIS_RATE_LIMIT_API": "", "LANDGIS_RATE_LIMIT_EXPORT": ""})
    return env


@contextmanager
def _server(env: dict[str, str], log: Path):
    with log.open("w") as errors:
        process = subprocess.Popen([sys.executable, "-m", "tests.live.serve"], cwd=ROOT, env=env,
                                   stdout=subprocess.PIPE, stderr=errors, text=True)
    try:
        line = process.stdout.readline()
        if not line.startswith("PORT "):
            process.wait(timeout=30)
            raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()


@contextmanager
def live_server(env: dict[str, str], log: Path):
    """Base URL of one server process run with env (its LANDGIS_* settings), stderr in log."""
    with _server(env, log) as url:
        yield url


@contextmanager
def live_servers(app, count: int, log_dir: Path):
    """Base URLs of `count` server processes serving the app's instance folder."""
    env = server_environment(app)
    with ExitStack() as stack:
        yield [stack.enter_context(_server(env, log_dir / f"server-{n}.log"))
               for n in range(count)]
