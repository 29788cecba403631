"""`landgis serve`: its options reach the app it serves (the serving itself is in
tests/http/test_access_log.py and tests/live)."""

from tests.conftest import DATA, make_app
from webapp import serving


def test_serve_access_log_option_switches_it_on(tmp_path, monkeypatch):
    app = make_app(tmp_path, DATA / "small.geojson", WORKERS=1)
    seen = {}
    monkeypatch.setattr(serving, "serve", lambda served, make, host, port: seen.update(
        access_log=served.config["ACCESS_LOG"]))
    result = app.test_cli_runner().invoke(args=["serve", "--access-log"])
    assert result.exit_code == 0, result.output
    assert seen == {"access_log": True}
