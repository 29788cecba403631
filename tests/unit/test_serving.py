"""Serving settings: worker processes and threads are checked at start-up; gunicorn options."""

import pytest

from webapp.config import load_settings, validate_settings
from webapp.domain.errors import ConfigError
from webapp.serving import gunicorn_options


@pytest.mark.parametrize(("name", "value"), [("WORKERS", 0), ("THREADS", 0), ("WORKERS", -2)])
def test_serving_settings_below_one_are_refused(tmp_path, name, value):
    values = load_settings(tmp_path, {"TESTING": True, name: value}, environ={})
    with pytest.raises(ConfigError, match=r"(WORKERS|THREADS) must be at least 1"):
        validate_settings(values)


@pytest.mark.parametrize("text", ["two", "2.5", ""])
def test_serving_workers_from_environment_must_be_a_number(tmp_path, text):
    with pytest.raises(ConfigError, match="LANDGIS_WORKERS"):
        load_settings(tmp_path, environ={"LANDGIS_WORKERS": text})


def test_serving_gunicorn_runs_threaded_workers_on_the_address():
    options = gunicorn_options("127.0.0.1", 8000, 3, 8)
    assert (options["bind"], options["workers"], options["threads"], options["worker_class"]) == (
        "127.0.0.1:8000", 3, 8, "gthread")


def test_serving_settle_heap_freezes_start_up_objects():
    import gc

    from webapp.serving import settle_heap

    app = object()
    try:
        assert settle_heap(app) is app
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
