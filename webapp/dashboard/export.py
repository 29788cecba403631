"""The dashboard's figures as one CSV table (UTF-8 with a BOM, formulas neutralised, as the
parcel exports): one row per figure, so every section fits the same five columns."""

import csv
import io
from collections.abc import Iterator

from webapp.dashboard.figures import SHOWN_STATUSES, DashboardFigures
from webapp.domain.parcel import STATUSES
from webapp.domain.pipeline_figures import PipelineFigures
from webapp.domain.spreadsheet import neutralise_cell

COLUMNS = ("section", "key", "name", "measure", "value")


def _area_rows(section: str, rows, statuses) -> Iterator[tuple]:
    for row in rows:
        for status in statuses:
            if status in row.count:
                yield section, row.key, row.label, f"area_mu_{status}", round(
                    row.area_mu.get(status, 0.0), 2)
                yield section, row.key, row.label, f"count_{status}", row.count[status]


def figure_rows(figures: DashboardFigures,
                pipeline: PipelineFigures | None) -> Iterator[tuple]:
    """(section, key, name, measure, value) of every figure; the pipeline's when given."""
    yield from _area_rows("land_use_class", figures.by_class, SHOWN_STATUSES)
    yield from _area_rows("street", figures.by_street, SHOWN_STATUSES)
    yield from _area_rows("status", figures.by_status, STATUSES)
    for month in figures.by_month:
        yield "month", month.month, month.month, "made_available", month.available
        yield "month", month.month, month.month, "sold", month.sold
    for parcel in figures.largest:
        yield "largest_available", parcel.code, parcel.name or "", "area_mu", round(
            parcel.area_mu, 2)
    if pipeline is not None:
        for measure in ("signed", "signed_major", "started", "started_large", "negotiating"):
            yield "pipeline", str(pipeline.year), str(pipeline.year), measure, getattr(
                pipeline, measure)
        for m in pipeline.by_month:
            key = f"{pipeline.year}-{m.month:02d}"
            yield "pipeline_month", key, key, "signed", m.signed
            yield "pipeline_month", key, key, "started", m.started
        for row in pipeline.by_industry:
            for measure in ("signed", "started", "negotiating"):
                yield ("pipeline_industry", row.industry or "", row.industry or "", measure,
                       getattr(row, measure))


def figures_csv(figures: DashboardFigures, pipeline: PipelineFigures | None) -> str:
    """The CSV text, BOM first (spreadsheet programs then read the Chinese names)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in figure_rows(figures, pipeline):
        writer.writerow([neutralise_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()
