"""`landgis user ...`: accounts from the command line, passwords only ever prompted."""

import pytest
from click.testing import CliRunner

from tests.editing_fixtures import ROLE_USERS, client_as
from webapp.cli import main

PASSWORD = "a long password"


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.setenv("LANDGIS_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("LANDGIS_SECRET_KEY", raising=False)
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    return runner


def create(runner, name="ada", role="admin", typed=f"{PASSWORD}\n{PASSWORD}\n"):
    return runner.invoke(main, ["user", "create", name, "--role", role], input=typed)


def test_user_create_prompts_twice_and_creates(runner):
    result = create(runner)
    assert result.exit_code == 0, result.output
    assert "Created admin “ada”." in result.output
    assert result.output.count("Password") == 1 and "Repeat for confirmation" in result.output


def test_user_create_does_not_echo_password(runner):
    assert PASSWORD not in create(runner).output


def test_user_create_has_no_password_option(runner):
    result = runner.invoke(main, ["user", "create", "ada", "--role", "admin", "--password", "x"])
    assert result.exit_code != 0 and "No such option" in result.output


def test_user_create_reasks_when_confirmation_differs(runner):
    result = create(runner, typed=f"{PASSWORD}\nother\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0 and "do not match" in result.output


def test_user_create_refuses_short_password(runner):
    result = create(runner, typed="short\nshort\n")
    assert result.exit_code == 1 and "password: use 10 to 200 characters" in result.output


def test_user_create_refuses_unknown_role(runner):
    assert create(runner, role="root").exit_code == 2


def test_user_create_refuses_taken_name(runner):
    create(runner)
    result = create(runner, name="ADA")
    assert result.exit_code == 1 and "already taken" in result.output


def test_user_list_shows_role_and_state(runner):
    create(runner)
    create(runner, name="eddie", role="editor")
    runner.invoke(main, ["user", "disable", "eddie"])
    lines = runner.invoke(main, ["user", "list"]).output.splitlines()
    assert lines[0].split()[:3] == ["ada", "admin", "active"]
    assert lines[1].split()[:3] == ["eddie", "editor", "disabled"]


def test_user_disable_last_admin_is_refused(runner):
    create(runner)
    result = runner.invoke(main, ["user", "disable", "ada"])
    assert result.exit_code == 1 and "at least one active admin must remain" in result.output


def test_user_enable_after_disable(runner):
    create(runner)
    create(runner, name="eddie", role="editor")
    runner.invoke(main, ["user", "disable", "eddie"])
    assert "Enabled “eddie”." in runner.invoke(main, ["user", "enable", "eddie"]).output


def test_user_reset_password_prompts_and_changes_it(runner):
    create(runner)
    result = runner.invoke(main, ["user", "reset-password", "ada"],
                           input="new long password\nnew long password\n")
    assert result.exit_code == 0 and "Set a new password for “ada”." in result.output


def test_user_unknown_name_is_an_error(runner):
    result = runner.invoke(main, ["user", "disable", "ghost"])
    assert result.exit_code == 1 and "no account “ghost”" in result.output


def run_cli(app, *args: str):
    """Run a landgis command against app; it must succeed."""
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


def test_user_disable_then_enable_does_not_revive_the_old_session(staff_app):
    editor = client_as(staff_app, "editor")
    run_cli(staff_app, "user", "disable", ROLE_USERS["editor"])
    assert editor.get("/admin/parcels").status_code == 302
    run_cli(staff_app, "user", "enable", ROLE_USERS["editor"])
    assert editor.get("/admin/parcels").status_code == 302
