"""`landgis init` (and so `make run`) always leaves a random secret key, so the built-in default
that create_app refuses outside the test suite is never reached (issue 14)."""

import tomllib

import pytest
from click.testing import CliRunner

from webapp import create_app
from webapp.cli import main
from webapp.config import DEFAULT_SECRET_KEY


@pytest.fixture
def instance(tmp_path, monkeypatch):
    folder = tmp_path / "instance"
    monkeypatch.setenv("LANDGIS_INSTANCE_PATH", str(folder))
    monkeypatch.delenv("LANDGIS_SECRET_KEY", raising=False)
    monkeypatch.setenv("LANDGIS_BASEMAP_URL", "")
    return folder


def secret_key_of(folder) -> str:
    with (folder / "landgis.toml").open("rb") as f:
        return tomllib.load(f)["secret_key"]


def test_init_then_the_app_starts_in_debug_mode(instance):
    assert CliRunner().invoke(main, ["init"]).exit_code == 0
    app = create_app({"DEBUG": True})
    assert app.config["SECRET_KEY"] not in ("", DEFAULT_SECRET_KEY)


def test_init_adds_a_key_to_an_instance_file_without_one(instance):
    instance.mkdir()
    (instance / "landgis.toml").write_text('port = 5001\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    assert len(secret_key_of(instance)) == 64
    assert create_app().config["PORT"] == 5001


def test_init_keeps_an_existing_key(instance):
    instance.mkdir()
    (instance / "landgis.toml").write_text('secret_key = "kept-secret"\n', encoding="utf-8")
    assert CliRunner().invoke(main, ["init"]).exit_code == 0
    assert secret_key_of(instance) == "kept-secret"


def test_debug_mode_with_the_default_key_is_refused_with_the_fix(instance):
    from webapp.domain.errors import ConfigError

    with pytest.raises(ConfigError, match="Run `landgis init`"):
        create_app({"DEBUG": True})
