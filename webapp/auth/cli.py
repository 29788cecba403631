"""`landgis user ...`: create, list, disable, enable and reset the passwords of staff accounts."""

import click
from flask.cli import with_appcontext

from webapp.auth.accounts import change_account, create_account, find_account, reset_password
from webapp.domain.accounts import MIN_PASSWORD_LENGTH, ROLES
from webapp.domain.errors import InvalidEditError, LandgisError
from webapp.services import get_store


def _problem(error: LandgisError) -> click.ClickException:
    if isinstance(error, InvalidEditError):
        return click.ClickException("; ".join(
            f"{name}: {message % params if params else message}"
            for name, (message, params) in error.fields.items()))
    return click.ClickException(str(error))


def _prompt_password() -> tuple[str, str]:
    """Ask twice without echo (click re-asks when the two differ); never a command argument."""
    password = click.prompt(f"Password (at least {MIN_PASSWORD_LENGTH} characters)",
                            hide_input=True, confirmation_prompt=True)
    return password, password


@click.group("user")
def user_group() -> None:
    """Staff accounts (roles: viewer, editor, admin)."""


@user_group.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the account may do.")
@with_appcontext
def create_command(name: str, role: str) -> None:
    """Create an account; the password is asked for, twice."""
    try:
        user = create_account(get_store(), name, role, *_prompt_password())
    except LandgisError as error:
        raise _problem(error) from None
    click.echo(f"Created {user.role} “{user.name}”.")


@user_group.command("list")
@with_appcontext
def list_command() -> None:
    """List every account with its role and whether it is active."""
    for user in get_store().staff.users():
        state = "active" if user.active else "disabled"
        click.echo(f"{user.name:<24} {user.role:<7} {state:<8} created {user.created_at}")


@user_group.command("disable")
@click.argument("name")
@with_appcontext
def disable_command(name: str) -> None:
    """Disable an account: it can no longer log in and its sessions end."""
    click.echo(f"Disabled “{_set_active(name, False).name}”.")


@user_group.command("enable")
@click.argument("name")
@with_appcontext
def enable_command(name: str) -> None:
    """Enable a disabled account again."""
    click.echo(f"Enabled “{_set_active(name, True).name}”.")


def _set_active(name: str, active: bool):
    """Enable or disable an account, keeping its role; a readable error when that fails."""
    try:
        store = get_store()
        user = find_account(store, name)
        change_account(store, user, user.role, active=active)
    except LandgisError as error:
        raise _problem(error) from None
    return user


@user_group.command("reset-password")
@click.argument("name")
@with_appcontext
def reset_password_command(name: str) -> None:
    """Set a new password (asked for, twice); the account's sessions end."""
    try:
        store = get_store()
        user = find_account(store, name)
        reset_password(store, user, *_prompt_password())
    except LandgisError as error:
        raise _problem(error) from None
    click.echo(f"Set a new password for “{user.name}”.")
