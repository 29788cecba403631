"""`landgis context import|list|delete`: context layers (roads, river, interchanges, street
boundaries...) from the command line, checked like parcel files before anything is written."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from webapp.domain.context import CONTEXT_KINDS
from webapp.domain.errors import LandgisError
from webapp.import_command import echo_report
from webapp.importing.context_layers import (
    ContextImportOptions,
    ContextPlan,
    apply_context_import,
    plan_context_import,
)
from webapp.services import get_store
from webapp.store.audit_rows import import_actor
from webapp.store.interface import ParcelStore


def existing_store() -> ParcelStore:
    """The app's store; ClickException before `landgis init` created it."""
    store = get_store()
    if not store.exists():
        raise click.ClickException(f"No parcel store at {getattr(store, 'path', store)} yet: "
                                   "run `landgis init` first.")
    return store


def _plan(path: Path, name: str, title: str, kind: str,
          options: ContextImportOptions) -> ContextPlan:
    """Plan the import with a progress bar over the features."""
    with click.progressbar(length=1, label="Checking features", show_pos=True) as bar:
        def advance(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        return plan_context_import(path, name, title, kind, options, progress=advance)


@click.group("context")
def context_group() -> None:
    """Context layers drawn under the parcels and measured against by site selection."""


@context_group.command("import")
@click.argument("name")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", required=True, type=click.Choice(list(CONTEXT_KINDS)),
              help="What the layer holds; fixes its geometry (lines, points or polygons).")
@click.option("--title", required=True, help="The layer's title on the map, e.g. 高速互通.")
@click.option("--layer", help="Layer of the file to read when it has several.")
@click.option("--crs", help="CRS of the coordinates when the file has none, e.g. EPSG:4549.")
@click.option("--encoding", help="Text encoding of Shapefile attributes, e.g. GBK.")
@click.option("--name-field", help="Field holding each feature's name (default: guessed, "
                                   "e.g. name, 名称, MC).")
@click.option("--class-field", help="Field holding each feature's class (default: guessed, "
                                    "e.g. class, 等级, type, DJ, LX).")
@click.option("--dry-run", is_flag=True, help="Check and report only; write nothing.")
@with_appcontext
def import_context(name: str, file: Path, kind: str, title: str, layer, crs, encoding,
                   name_field, class_field, dry_run: bool) -> None:
    """Create context layer NAME from FILE (GeoJSON, GeoPackage or zipped Shapefile), or
    replace all its features."""
    store = existing_store()
    options = ContextImportOptions(layer, crs, encoding, name_field, class_field)
    try:
        plan = _plan(file, name, title, kind, options)
        echo_report(plan.report)
        if dry_run:
            click.echo("Dry run: nothing was written.")
            return
        stored = apply_context_import(store.context, plan, import_actor())
    except LandgisError as error:
        raise click.ClickException(f"{error}\nNothing was written.") from None
    click.echo(f"Imported context layer {stored.name} ({stored.kind}): "
               f"{stored.feature_count} features.")


@context_group.command("list")
@with_appcontext
def list_context() -> None:
    """Every context layer: name, kind, feature count, title, when and by whom imported."""
    layers = existing_store().context.layers()
    if not layers:
        click.echo("No context layers yet: add one with `landgis context import`.")
        return
    for layer in layers:
        when = (layer.imported_at or "").replace("T", " ")[:16]
        click.echo(f"{layer.name:<20} {layer.kind:<16} {layer.feature_count:>7}  {layer.title}"
                   f"  ({when}, {layer.imported_by or '?'})")


@context_group.command("delete")
@click.argument("name")
@click.confirmation_option(prompt="Delete this context layer and all its features?")
@with_appcontext
def delete_context(name: str) -> None:
    """Delete context layer NAME and its features."""
    if not existing_store().context.delete_layer(name):
        raise click.ClickException(f"No context layer is named “{name}”.")
    click.echo(f"Deleted context layer {name}.")
