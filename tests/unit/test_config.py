"""Settings: defaults, instance file, LANDGIS_* environment, test config; start-up checks."""

import re

import pytest

from webapp.config import DEFAULT_SECRET_KEY, SETTINGS, load_settings, validate_settings
from webapp.domain.errors import ConfigError


def test_settings_defaults_apply_without_file_or_env(tmp_path):
    assert load_settings(tmp_path, environ={})["PORT"] == 5000


def test_settings_instance_file_overrides_defaults(tmp_path):
    (tmp_path / "landgis.toml").write_text('port = 8080\nbasemap_url = ""\n')
    values = load_settings(tmp_path, environ={})
    assert (values["PORT"], values["BASEMAP_URL"]) == (8080, "")


def test_settings_environment_overrides_file(tmp_path):
    (tmp_path / "landgis.toml").write_text("port = 8080\n")
    assert load_settings(tmp_path, environ={"LANDGIS_PORT": "9090"})["PORT"] == 9090


def test_settings_test_config_wins(tmp_path):
    values = load_settings(tmp_path, {"PORT": 1}, environ={"LANDGIS_PORT": "9090"})
    assert values["PORT"] == 1


@pytest.mark.parametrize(("name", "value"), [("LANDGIS_PORT", "http"),
                                              ("LANDGIS_AUTO_INIT", "maybe")])
def test_settings_bad_environment_value_names_the_variable(tmp_path, name, value):
    with pytest.raises(ConfigError, match=name):
        load_settings(tmp_path, environ={name: value})


def test_settings_broken_instance_file_is_reported(tmp_path):
    (tmp_path / "landgis.toml").write_text("port = = 1\n")
    with pytest.raises(ConfigError, match=r"landgis\.toml"):
        load_settings(tmp_path, environ={})


def test_settings_default_secret_key_refused_in_production(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY is the built-in default"):
        validate_settings(load_settings(tmp_path, environ={}))


def test_settings_default_secret_key_allowed_when_testing(tmp_path):
    values = load_settings(tmp_path, {"TESTING": True}, environ={})
    assert values["SECRET_KEY"] == DEFAULT_SECRET_KEY
    validate_settings(values)


@pytest.mark.parametrize("debug", [{"DEBUG": True}, {"DEBUG": True, "TESTING": False}])
def test_settings_default_secret_key_refused_in_debug_mode(tmp_path, debug):
    values = load_settings(tmp_path, debug, environ={})
    refusal = re.escape("SECRET_KEY is the built-in default. Run `landgis init`")
    with pytest.raises(ConfigError, match=refusal):
        validate_settings(values)


def test_settings_unknown_language_refused(tmp_path):
    values = load_settings(tmp_path, {"TESTING": True, "DEFAULT_LANGUAGE": "fr"}, environ={})
    with pytest.raises(ConfigError, match="DEFAULT_LANGUAGE"):
        validate_settings(values)


def test_settings_negative_trusted_proxies_refused(tmp_path):
    values = load_settings(tmp_path, {"TESTING": True}, environ={"LANDGIS_TRUSTED_PROXIES": "-1"})
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        validate_settings(values)


def test_settings_every_setting_has_help():
    assert all(s.help.strip() for s in SETTINGS)
