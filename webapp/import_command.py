"""`landgis import FILE`: validate a bureau file, show the report, then write it atomically."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from webapp.domain.errors import LandgisError
from webapp.importing.mapping import ImportMapping, read_mapping_file
from webapp.importing.pipeline import (
    MODES,
    ImportOptions,
    apply_import,
    fill_plan_streets,
    plan_import,
)
from webapp.importing.report import ImportReport
from webapp.importing.service_area import service_area_from
from webapp.services import get_landuse_table, get_store

MAX_LISTED_ROWS = 50


def echo_report(report: ImportReport) -> None:
    """Print the summary and the rows that were repaired, rejected or noted."""
    for line in report.summary_lines():
        click.echo(line)
    for group in report.problem_groups():
        colour = "red" if group.outcome == "rejected" else "yellow"
        click.secho(f"  {group.outcome}: {group.text()}", fg=colour)
    problems = report.problem_rows()
    for outcome in problems[:MAX_LISTED_ROWS]:
        colour = "red" if outcome.outcome == "rejected" else "yellow"
        click.secho(f"  row {outcome.row} {outcome.code or ''}: {outcome.outcome}: "
                    f"{outcome.message}", fg=colour)
    if len(problems) > MAX_LISTED_ROWS:
        click.echo(f"  … and {len(problems) - MAX_LISTED_ROWS} more (see --report CSV)")


def _plan(path: Path, options: ImportOptions):
    """Plan the import with a progress bar over the rows once their number is known."""
    bars = []

    def advance(done: int, total: int) -> None:
        if not bars:
            bars.append(click.progressbar(length=total, label="Validating rows", show_pos=True))
            bars[0].__enter__()
        step = done - bars[0].pos
        if step >= max(1, total // 200) or done == total:  # at most ~200 redraws
            bars[0].update(step)
        if done == total:
            bars[0].__exit__(None, None, None)

    try:
        return plan_import(path, get_landuse_table(), options, progress=advance)
    finally:
        if bars and not bars[0].finished:
            bars[0].__exit__(None, None, None)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--layer", help="Layer to read when the file has several.")
@click.option("--crs", help="CRS of the coordinates when the file has none, e.g. EPSG:4549.")
@click.option("--encoding", help="Text encoding of Shapefile attributes, e.g. GBK.")
@click.option("--mapping", "mapping_file", type=click.Path(exists=True, path_type=Path),
              help="JSON/TOML mapping file: field names, value vocabularies (e.g. 住宅區 → "
                   "0701), defaults and fixed values (see README).")
@click.option("--mode", type=click.Choice(MODES), default="upsert", show_default=True,
              help="replace: the file becomes all parcels; upsert: update by code, add new.")
@click.option("--dry-run", is_flag=True, help="Validate and report only; write nothing.")
@click.option("--strict", is_flag=True, help="Write nothing if any row is rejected.")
@click.option("--draft", is_flag=True, help="Import new parcels as drafts (not public).")
@click.option("--publish", is_flag=True,
              help="Also publish stored drafts that the file holds (by default a stored parcel "
                   "keeps its published flag, in both modes).")
@click.option("--reject-duplicates", is_flag=True,
              help="Reject parcels whose shape repeats an earlier parcel of another code "
                   "(default: import them with a warning).")
@click.option("--report", "report_csv", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the per-row report to this CSV file.")
@with_appcontext
def import_command(file: Path, layer, crs, encoding, mapping_file, mode, dry_run, strict, draft,
                   publish, reject_duplicates, report_csv) -> None:
    """Import parcels from a GeoJSON, GeoPackage, Shapefile (.shp with its .dbf, .shx, .prj
    beside it, or zipped) or zipped File Geodatabase."""
    if draft and publish:
        raise click.UsageError("--draft and --publish contradict each other; choose one.")
    try:
        mapping = read_mapping_file(mapping_file) if mapping_file else ImportMapping()
        area = service_area_from(current_app.config["SERVICE_AREA"], get_store())
        options = ImportOptions(layer, crs, encoding, mapping, published=not draft,
                                publish_existing=publish, service_area=area,
                                reject_duplicates=reject_duplicates)
        plan = _plan(file, options)
        fill_plan_streets(plan, get_store())  # before the report, so it counts them
    except LandgisError as error:
        raise click.ClickException(f"{error}\nNothing was written.") from None
    echo_report(plan.report)
    if report_csv:
        report_csv.write_text(plan.report.to_csv(), encoding="utf-8")
    if dry_run:
        click.echo("Dry run: nothing was written.")
        return
    if strict and plan.report.count("rejected"):
        raise click.ClickException("rejected rows and --strict: nothing was written.")
    try:
        result = apply_import(get_store(), plan, mode, publish_existing=publish)
    except LandgisError as error:
        raise click.ClickException(f"{error}\nNothing was written.") from None
    click.echo(f"Imported ({result.mode}): {result.inserted} new, {result.updated} updated, "
               f"{result.unchanged} unchanged.")
