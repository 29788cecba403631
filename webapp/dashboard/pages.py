"""What the dashboard's routes show: the figures of a filter in the visitor's language, their
charts, and the pipeline figures staff see."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from webapp.dashboard.charts import Series, bar_chart_svg
from webapp.dashboard.figures import SHOWN_STATUSES, DashboardFigures, dashboard_figures
from webapp.domain.filters import ParcelFilter
from webapp.domain.landuse import LandUseTable
from webapp.domain.local_time import district_today
from webapp.domain.pipeline import ProjectFilter
from webapp.domain.pipeline_figures import PipelineFigures, pipeline_figures
from webapp.public.map_page import language
from webapp.public.texts import status_names
from webapp.store.interface import ParcelStore

STATUS_COLORS = {"available": "#2e7d32", "negotiating": "#e69500", "sold": "#c62828",
                 "reserve": "#757575"}
SIGNED_COLOR, STARTED_COLOR = "#1565c0", "#6a1b9a"
CHARTS = ("class", "street", "status", "months")
STAFF_CHARTS = ("pipeline",)


@dataclass(frozen=True)
class DashboardPage:
    """The figures of one filter, and the pipeline's for staff (None for anyone else)."""

    figures: DashboardFigures
    pipeline: PipelineFigures | None


def supply_figures(store: ParcelStore, table: LandUseTable,
                   parcel_filter: ParcelFilter) -> DashboardFigures:
    """The filter's figures (published parcels), kept per store generation by the store."""
    summary = store.summaries.supply(parcel_filter)
    return dashboard_figures(summary, table, language(), status_names(), _("Not given"))


def staff_pipeline(store: ParcelStore) -> PipelineFigures:
    """This year's pipeline figures (webapp.domain.pipeline_figures), for staff only."""
    today = district_today()
    projects = store.pipeline.projects(ProjectFilter()).records
    return pipeline_figures(projects, today.year, current_app.config["PIPELINE_MAJOR_WAN"],
                            today)


def dashboard_page(store: ParcelStore, table: LandUseTable, parcel_filter: ParcelFilter,
                   staff: bool) -> DashboardPage:
    """The page's figures; the pipeline's only when `staff`."""
    return DashboardPage(supply_figures(store, table, parcel_filter),
                         staff_pipeline(store) if staff else None)


def _status_series(rows, statuses) -> list[Series]:
    names = status_names()
    return [Series(names[s], STATUS_COLORS[s], tuple(r.area_mu.get(s, 0.0) for r in rows))
            for s in statuses]


def chart_svg(name: str, page: DashboardPage) -> str:
    """One chart of the page as an SVG document (name from CHARTS, or STAFF_CHARTS when the
    page has the pipeline's figures)."""
    figures = page.figures
    if name == "class":
        return bar_chart_svg(_("Area by land-use class (mu)"),
                             [row.label for row in figures.by_class],
                             _status_series(figures.by_class, SHOWN_STATUSES))
    if name == "street":
        return bar_chart_svg(_("Area by street (mu)"), [row.label for row in figures.by_street],
                             _status_series(figures.by_street, SHOWN_STATUSES))
    if name == "status":
        statuses = tuple(row.key for row in figures.by_status)
        series = _status_series(figures.by_status, statuses)
        return bar_chart_svg(_("Area by status (mu)"), [row.label for row in figures.by_status],
                             series)
    if name == "months":
        months = figures.by_month
        return bar_chart_svg(_("Parcels made available and sold per month"),
                             [row.month for row in months],
                             [Series(_("Made available"), STATUS_COLORS["available"],
                                     tuple(float(r.available) for r in months)),
                              Series(_("Sold"), STATUS_COLORS["sold"],
                                     tuple(float(r.sold) for r in months))],
                             stacked=False, decimals=0)
    assert name == "pipeline" and page.pipeline is not None
    by_month = page.pipeline.by_month
    return bar_chart_svg(_("Projects signed and started per month"),
                         [f"{page.pipeline.year}-{m.month:02d}" for m in by_month],
                         [Series(_("Signed"), SIGNED_COLOR,
                                 tuple(float(m.signed) for m in by_month)),
                          Series(_("Construction started"), STARTED_COLOR,
                                 tuple(float(m.started) for m in by_month))],
                         stacked=False, decimals=0)
