"""`landgis migrate`, `landgis backup [DIR]` and `landgis restore FILE`: upgrades and backups of
the configured store. They read the settings but start no app, so they work on a store the app
would refuse (one older or newer than this release)."""

import os
from pathlib import Path

import click

from webapp.config import load_settings
from webapp.domain.errors import LandgisError
from webapp.store import ParcelStore, open_store
from webapp.store.backup_run import make_backup, restore_backup
from webapp.store.redaction import scrub_secrets
from webapp.store.schema_version import CURRENT_SCHEMA_VERSION


def _instance_folder() -> Path:
    from webapp.cli import instance_folder  # the cli module registers these commands

    return instance_folder()


def _settings() -> dict:
    return load_settings(_instance_folder())


def _store(settings: dict) -> ParcelStore:
    """The configured store; ClickException when it does not exist yet."""
    try:
        store = open_store(settings["STORE_URL"], _instance_folder())
        exists = store.exists()
    except LandgisError as error:
        raise _failure(error) from None
    if not exists:
        raise click.ClickException(f"No parcel store at {getattr(store, 'path', store)} yet: "
                                   "run `landgis init` first.")
    return store


def _failure(error: Exception) -> click.ClickException:
    return click.ClickException(scrub_secrets(str(error), os.environ.get("LANDGIS_STORE_URL",
                                                                         "")))


def _folder(settings: dict, given: Path | None) -> Path:
    folder = given or Path(settings["BACKUP_DIR"])
    return folder if folder.is_absolute() else _instance_folder() / folder


class _Bar:
    """A click progress bar fed (done, total) reports."""

    def __init__(self, label: str) -> None:
        self.bar = click.progressbar(length=1, label=label, show_percent=True)

    def __enter__(self) -> "_Bar":
        self.bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.__exit__(*exc)

    def __call__(self, done: int, total: int) -> None:
        self.bar.length = max(total, 1)
        self.bar.update(done - self.bar.pos)


@click.command("migrate")
def migrate_command() -> None:
    """Upgrade the store to this release's schema version (run `landgis backup` first)."""
    store = _store(_settings())
    try:
        before = store.schema_version()
        applied = store.migrate()
    except LandgisError as error:
        raise _failure(error) from None
    if applied and applied[-1] != before:
        click.echo(f"Schema version {before} → {applied[-1]} (applied "
                   f"{', '.join(map(str, applied))}).")
    else:
        click.echo(f"The store is at schema version {CURRENT_SCHEMA_VERSION}: nothing to do.")


@click.command("backup")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
def backup_command(folder: Path | None) -> None:
    """Write a verified backup of the store to FOLDER (default: setting BACKUP_DIR) and keep
    the newest BACKUP_KEEP there."""
    settings = _settings()
    store = _store(settings)
    target = _folder(settings, folder)
    try:
        with _Bar("Copying") as bar:
            result = make_backup(store, target, settings["BACKUP_KEEP"], bar)
    except (LandgisError, OSError) as error:
        raise _failure(error) from None
    click.echo(f"Wrote {result.path} ({result.path.stat().st_size / 1e6:.1f} MB, verified):")
    for line in result.counts.lines():
        click.echo(f"  {line}")
    for removed in result.removed:
        click.echo(f"Removed old backup {removed.name}")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the store's content with a backup FILE; the current content is kept aside."""
    settings = _settings()
    store = _store(settings)
    if not yes:
        click.confirm(f"Replace the content of {getattr(store, 'path', store)} with "
                      f"{file.name}?", abort=True)
    try:
        with _Bar("Restoring") as bar:
            result = restore_backup(store, file, _folder(settings, None), bar)
    except (LandgisError, OSError) as error:
        raise _failure(error) from None
    click.echo(f"Restored {file.name}; the previous content is kept in {result.kept_aside}.")
    for line in result.after.lines(result.before):
        click.echo(f"  {line}")
