"""Routes of the dashboard: parse the filter (the map's parser: bad values answer 400 with the
message), call one function, render."""

from dataclasses import replace

from flask import Response, render_template, request
from flask_babel import gettext as _

from webapp.auth.roles import is_staff
from webapp.dashboard import bp
from webapp.dashboard.export import figures_csv
from webapp.dashboard.pages import CHARTS, STAFF_CHARTS, chart_svg, dashboard_page
from webapp.domain.errors import NotFoundError
from webapp.domain.filters import ParcelFilter, filter_to_query, parse_parcel_filter
from webapp.projects.texts import industry_names
from webapp.public.map_page import language
from webapp.public.texts import status_names
from webapp.services import get_landuse_table, get_store

# The map filters the dashboard applies: land use, street and status (each answered from the
# one supply aggregate the store keeps per generation: webapp/store/supply_groups.py, so an
# anonymous request never pays for the district twice). Area ranges, text and bbox cut through
# its groups and would make every request a fresh scan; they are read (bad values still answer
# 400) and left out, and the page says so.
IGNORED_PARAMETERS = ("area_min", "area_max", "q", "bbox")


def read_filter() -> ParcelFilter:
    """The dashboard's filter from the query string: published parcels only, for everyone;
    land use, street and status only (IGNORED_PARAMETERS are left out)."""
    parsed = parse_parcel_filter(request.args.getlist, get_landuse_table())
    return replace(parsed, area_min_mu=None, area_max_mu=None, text=None, bbox=None)


def ignored_parameters() -> list[str]:
    """The map filters given that the dashboard does not apply."""
    return [name for name in IGNORED_PARAMETERS if request.args.get(name, "").strip()]


@bp.get("/dashboard")
def index():
    """The land-supply figures, charts beside their tables; the pipeline's for staff."""
    table, parcel_filter = get_landuse_table(), read_filter()
    page = dashboard_page(get_store(), table, parcel_filter, is_staff())
    return render_template("dashboard/index.html", page=page, parcel_filter=parcel_filter,
                           query=filter_to_query(parcel_filter), table=table, lang=language(),
                           status_names=status_names(), streets=get_store().streets(),
                           industry_names=industry_names(), ignored=ignored_parameters())


@bp.get("/dashboard/charts/<name>.svg")
def chart(name: str):
    """One chart of the dashboard as SVG (the pipeline's for staff only)."""
    if name not in CHARTS + (STAFF_CHARTS if is_staff() else ()):
        raise NotFoundError(_("No such chart."))
    page = dashboard_page(get_store(), get_landuse_table(), read_filter(),
                          name in STAFF_CHARTS)
    return Response(chart_svg(name, page), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=60", "Vary": "Cookie"})


@bp.get("/dashboard.csv")
def export():
    """The figures as CSV (the pipeline's too for staff)."""
    page = dashboard_page(get_store(), get_landuse_table(), read_filter(), is_staff())
    return Response(figures_csv(page.figures, page.pipeline), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="dashboard.csv"',
                             "Cache-Control": "no-store" if is_staff() else "private, max-age=60"})
