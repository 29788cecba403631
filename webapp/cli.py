"""The `landgis` command line (also `flask --app webapp ...`): init, info, serve."""

import os
import secrets
import sqlite3
import tomllib
import unicodedata
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext

from webapp.auth.cli import user_group
from webapp.backup_command import backup_command, migrate_command, restore_command
from webapp.check_command import check_command
from webapp.config import CONFIG_FILE
from webapp.context_command import context_group
from webapp.domain.errors import LandgisError
from webapp.domain.units import m2_to_mu
from webapp.import_command import import_command
from webapp.services import (
    get_landuse_table,
    get_store,
    load_parcels_into,
    load_sample_context_into,
    load_sample_pipeline_into,
)
from webapp.store.redaction import scrub_secrets
from webapp.tiles import projected

BAR_WIDTH = 30
# What opening or filling a store can raise besides a readable LandgisError: a GeoPackage path
# that cannot be written (a folder that is a file, a read-only disk) or is no SQLite file.
STORE_FAILURES = (LandgisError, OSError, sqlite3.Error)


def instance_folder() -> Path:
    """The instance folder create_app() will use (LANDGIS_INSTANCE_PATH or Flask's default)."""
    configured = os.environ.get("LANDGIS_INSTANCE_PATH")
    return Path(configured).resolve() if configured else Path(Flask("webapp").instance_path)


def write_instance_config(folder: Path) -> Path | None:
    """Create the instance config with a random SECRET_KEY unless it exists (or add a key to
    one that has none, so the app never starts on the refused default); returns its path."""
    path = folder / CONFIG_FILE
    if path.exists():
        return _add_secret_key(path)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("# landgis settings for this installation (see README: Configuration)\n"
                    f'secret_key = "{secrets.token_hex(32)}"\n', encoding="utf-8")
    path.chmod(0o600)
    return path


def _add_secret_key(path: Path) -> Path | None:
    """Put a random secret_key first in an existing config that sets none; its path, or None
    when it has a key (or cannot be read: create_app then says why)."""
    try:
        keys = {key.upper() for key in tomllib.loads(path.read_text(encoding="utf-8"))}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    if "SECRET_KEY" in keys:
        return None
    path.write_text(f'secret_key = "{secrets.token_hex(32)}"\n' + path.read_text(
        encoding="utf-8"), encoding="utf-8")
    path.chmod(0o600)
    return path


@click.command("init")
@click.option("--from", "source", type=click.Path(dir_okay=False, path_type=Path),
              help="Parcel file to load (default: the bundled sample district).")
@click.option("--force", is_flag=True, help="Replace the parcels of an existing store.")
def init_command(source: Path | None, force: bool) -> None:
    """Create the instance config and the parcel store (from the sample or a file)."""
    written = write_instance_config(instance_folder())
    if written:
        click.echo(f"Wrote {written} with a new random secret key.")
    try:
        init_store(source, force)
    except STORE_FAILURES as error:  # one line, not a traceback (the URL's password masked)
        raise store_failure(error) from None


def init_store(source: Path | None, force: bool) -> None:
    """Open the configured store and load the parcels into it (see init_command)."""
    from webapp import create_app

    app = create_app({"AUTO_INIT": False})
    projected.warm_up()  # the tile writer compiled now (then cached), not in the first worker
    with app.app_context():
        store = get_store()
        if store.exists() and not (force or source):
            click.echo(f"The store already exists ({store.count()} parcels); "
                       "use --force to reload the sample or --from FILE to load a file.")
            return
        sample = source is None
        source = source or Path(app.config["SAMPLE_PATH"])
        click.echo(f"Loading {source} …")
        try:
            count = load_parcels_into(store, source, get_landuse_table())
        except LandgisError as error:
            raise click.ClickException(f"{error}\nThe store was not changed.") from None
        click.echo(f"Loaded {count} parcels into {getattr(store, 'path', store)}.")
        if sample:
            _load_sample_context(store, source)
            _load_sample_pipeline(store, source)


def _load_sample_context(store, sample_path: Path) -> None:
    """The sample district's context layers (roads, river, street boundaries...), if any."""
    try:
        layers = load_sample_context_into(store, sample_path)
    except LandgisError as error:
        raise click.ClickException(f"{error}\nThe context layers were not changed.") from None
    if layers:
        click.echo(f"Loaded {len(layers)} context layers: "
                   + ", ".join(f"{layer.name} ({layer.feature_count})" for layer in layers) + ".")


def _load_sample_pipeline(store, sample_path: Path) -> None:
    """The sample district's synthetic enquiries and projects, into an empty pipeline only."""
    projects = load_sample_pipeline_into(store, sample_path)
    if projects:
        click.echo(f"Loaded the sample pipeline: {projects} synthetic projects.")


def display_width(text: str) -> int:
    """Terminal columns of text, counting CJK characters as two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def breakdown_lines(language: str = "zh") -> list[str]:
    """Land-use breakdown of the published parcels as text rows with bars (areas in 亩)."""
    table = get_landuse_table()
    shares = get_store().landuse_breakdown()
    names = [table.name(s.land_use, language) for s in shares]
    width = max(map(display_width, names), default=0)
    largest = max((s.area_m2 for s in shares), default=0) or 1
    lines = []
    for share, name in zip(shares, names, strict=True):
        bar = "█" * max(1, round(BAR_WIDTH * share.area_m2 / largest))
        padding = " " * (width - display_width(name))
        lines.append(f"{share.land_use:<7} {name}{padding}  {share.count:>5}  "
                     f"{m2_to_mu(share.area_m2):>12,.2f} 亩  {bar}")
    return lines


@click.command("info")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh",
              help="Language of land-use names.")
@with_appcontext
def info_command(lang: str) -> None:
    """Print the parcel count and the land-use breakdown with areas in 亩."""
    store = get_store()
    if not store.exists():
        raise click.ClickException(f"No parcel store at {getattr(store, 'path', store)} yet: "
                                   "run `landgis init` first.")
    total = store.count()
    published = store.count(include_drafts=False)
    click.echo(f"Store: {getattr(store, 'path', store)}")
    click.echo(f"Parcels: {total} ({published} published)")
    click.echo("Land use breakdown (published parcels):")
    for line in breakdown_lines(lang):
        click.echo("  " + line)
    area = sum(s.area_m2 for s in store.landuse_breakdown())
    click.echo(f"Total area: {m2_to_mu(area):,.2f} 亩 ({area:,.0f} m²)")


@click.command("serve")
@click.option("--host", help="Address to listen on (default: setting HOST).")
@click.option("--port", type=int, help="Port (default: setting PORT).")
@click.option("--workers", type=click.IntRange(min=1),
              help="Server processes (default: setting WORKERS).")
@click.option("--access-log/--no-access-log", default=None,
              help="Log one line per request to stderr (default: setting ACCESS_LOG).")
@with_appcontext
def serve_command(host: str | None, port: int | None, workers: int | None,
                  access_log: bool | None) -> None:
    """Serve the app with gunicorn worker processes (waitress for one), never Flask's dev
    server. See README: Serving in production."""
    from webapp.serving import serve

    config = current_app.config
    host, port = host or config["HOST"], port or config["PORT"]
    config["WORKERS"] = workers or config["WORKERS"]
    config["ACCESS_LOG"] = config["ACCESS_LOG"] if access_log is None else access_log
    click.echo(f"landgis is serving the map at http://{host}:{port}/ with {config['WORKERS']} "
               f"process(es) × {config['THREADS']} threads  (Ctrl+C stops)")
    serve(current_app._get_current_object(), _create_app, host, port)


COMMANDS = (init_command, info_command, serve_command, import_command, context_group,
            user_group, migrate_command, backup_command, restore_command, check_command)


def init_app(app: Flask) -> None:
    """Register the commands that need an app on app.cli."""
    for command in COMMANDS:
        app.cli.add_command(command)


def store_failure(error: Exception) -> click.ClickException:
    """The one-line message of an error opening or writing the store, passwords masked."""
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        text = f"cannot write the parcel store{where}: {error.strerror or error}"
    elif isinstance(error, sqlite3.Error):
        text = f"cannot use the parcel store: {error}"
    else:
        text = str(error)
    return click.ClickException(scrub_secrets(text, os.environ.get("LANDGIS_STORE_URL", "")))


def _create_app():
    from webapp import create_app

    try:
        return create_app()
    except STORE_FAILURES as error:  # a readable message, not a traceback
        raise store_failure(error) from None


class LandgisGroup(FlaskGroup):
    """FlaskGroup whose command list (`landgis --help`) says in one line why the app could not
    load (say, before `landgis init`) instead of printing a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        try:
            ctx.ensure_object(ScriptInfo).load_app()
        except click.ClickException as error:
            click.secho(f"Note: {error.format_message()}\n", err=True, fg="yellow")
            self._load_plugin_commands()
            return sorted(super(FlaskGroup, self).list_commands(ctx))
        return super().list_commands(ctx)


main = LandgisGroup(name="landgis", create_app=_create_app, add_version_option=False,
                    help="landgis: land-resource GIS. Start with `landgis init`, then "
                         "`landgis serve`.")
for _command in COMMANDS:
    main.add_command(_command)
