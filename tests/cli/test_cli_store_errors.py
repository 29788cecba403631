"""`landgis init` and `landgis info` with a bad store URL: one clear line naming the problem,
a non-zero exit, no traceback, and never the URL's password."""

import logging
import subprocess
import sys

import pytest
from psycopg.conninfo import conninfo_to_dict

from tests.store.postgis_fixtures import postgis_schema_url, postgis_url
from webapp.cli import main

SECRET = "s3cret-Pw"


def database_url(**changes) -> str:
    """The PostGIS test database's URL with some connection parameters changed."""
    params = {**conninfo_to_dict(postgis_url()), **changes}
    return (f"postgresql://{params['user']}:{params['password']}@{params['host']}:"
            f"{params.get('port', 5432)}/{params['dbname']}")


def gpkg_under_a_file(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    return str(tmp_path / "a-file" / "store" / "landgis.gpkg")


def not_a_geopackage(tmp_path):
    (tmp_path / "text.gpkg").write_text("plain text, not SQLite")
    return str(tmp_path / "text.gpkg")


STATIC_CASES = {
    "mysql": (f"mysql://gis:{SECRET}@db.example.test/land", "mysql"),
    "http": (f"http://gis:{SECRET}@example.test/x", "http"),
    "one slash": (f"postgresql:/gis:{SECRET}@db.example.test/land", "neither"),
    "no scheme": (f"gis:{SECRET}@db.example.test", "neither"),
    "libpq refuses": (f"postgresql://gis:{SECRET}@db.example.test/land?nosuch=1", "nosuch"),
    "refused": (f"postgresql://gis:{SECRET}@127.0.0.1:1/land?connect_timeout=2",
                "cannot connect"),
    "unwritable folder": ("/proc/landgis-test/landgis.gpkg", "cannot write"),
}
FILE_CASES = {"folder is a file": (gpkg_under_a_file, "cannot write"),
              "not a GeoPackage": (not_a_geopackage, "not a database")}
DATABASE_CASES = {
    "wrong password": (lambda: database_url(password=SECRET), "password authentication failed"),
    "no PostGIS": (lambda: database_url(dbname="postgres"), "has no PostGIS"),
}


def check_one_clear_line(result, expected: str) -> None:
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output and SECRET not in result.output
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error_lines) == 1 and expected in error_lines[0], result.stderr


@pytest.mark.parametrize("command", ["init", "info"])
@pytest.mark.parametrize("case", sorted(STATIC_CASES))
def test_cli_bad_store_url_prints_one_clear_line(runner, monkeypatch, command, case):
    url, expected = STATIC_CASES[case]
    monkeypatch.setenv("LANDGIS_STORE_URL", url)
    check_one_clear_line(runner.invoke(main, [command]), expected)


@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_cli_init_bad_geopackage_prints_one_clear_line(runner, monkeypatch, tmp_path, case):
    make_path, expected = FILE_CASES[case]
    monkeypatch.setenv("LANDGIS_STORE_URL", make_path(tmp_path))
    check_one_clear_line(runner.invoke(main, ["init"]), expected)


@pytest.mark.parametrize("command", ["init", "info"])
@pytest.mark.parametrize("case", sorted(DATABASE_CASES))
def test_cli_bad_database_prints_one_clear_line(runner, monkeypatch, command, case):
    make_url, expected = DATABASE_CASES[case]
    monkeypatch.setenv("LANDGIS_STORE_URL", make_url())
    check_one_clear_line(runner.invoke(main, [command]), expected)


def test_cli_bad_store_url_in_a_real_process_has_no_traceback(tmp_path):
    env = {"LANDGIS_INSTANCE_PATH": str(tmp_path / "instance"), "PATH": "/usr/bin:/bin",
           "LANDGIS_STORE_URL": f"postgresql://gis:{SECRET}@127.0.0.1:1/land"}
    done = subprocess.run([sys.executable, "-c", "from webapp.cli import main; main()", "init"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stderr.startswith("Error: ")
    assert "Traceback" not in done.stderr and SECRET not in done.stderr + done.stdout


def test_cli_init_and_info_on_postgis_never_show_the_password(runner, monkeypatch, caplog):
    with postgis_schema_url() as url:
        monkeypatch.setenv("LANDGIS_STORE_URL", url)
        password = conninfo_to_dict(url.partition("?")[0])["password"]
        caplog.set_level(logging.DEBUG)
        init = runner.invoke(main, ["init"])
        info = runner.invoke(main, ["info"])
    assert init.exit_code == 0 and info.exit_code == 0, init.output + info.output
    assert "Store: PostGISStore(postgresql://" in info.output and ":***@" in info.output
    for text in (init.output, info.output, caplog.text):
        assert f":{password}@" not in text and f"password={password}" not in text


def test_cli_info_without_a_store_prints_one_clear_line(runner, monkeypatch, tmp_path):
    monkeypatch.setenv("LANDGIS_AUTO_INIT", "false")
    monkeypatch.setenv("LANDGIS_STORE_URL", str(tmp_path / "none" / "landgis.gpkg"))
    check_one_clear_line(runner.invoke(main, ["info"]), "landgis init")
