"""Server faults show a generic message (the log has the detail); busy exports log no traceback."""

import logging

from webapp.domain.errors import ConfigError, ExportsBusyError


def _raising(app, error: Exception) -> None:
    @app.get("/_fault")
    def fault():
        raise error


def test_config_error_page_hides_its_text(small_app, caplog):
    _raising(small_app, ConfigError("postgresql://ada:s3cret-pw@db.internal/landgis is broken"))
    with caplog.at_level(logging.ERROR, logger="webapp.errors"):
        response = small_app.test_client().get("/_fault?lang=en")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "s3cret-pw" not in body and "db.internal" not in body
    assert "Something went wrong on our side" in body
    assert any("server-side error" in r.getMessage() for r in caplog.records)


def test_config_error_json_hides_its_text(small_app):
    _raising(small_app, ConfigError("secret detail"))
    response = small_app.test_client().get("/_fault", headers={"Accept": "application/json"})
    assert response.status_code == 500 and "secret detail" not in response.get_data(as_text=True)


def test_busy_export_logs_a_warning_without_traceback(small_app, caplog):
    _raising(small_app, ExportsBusyError())
    with caplog.at_level(logging.WARNING, logger="webapp.errors"):
        response = small_app.test_client().get("/_fault")
    assert response.status_code == 503 and response.headers["Retry-After"]
    records = [r for r in caplog.records if r.name == "webapp.errors"]
    assert records and all(r.levelno == logging.WARNING and r.exc_info is None for r in records)
