"""The site-selection page /select: parse the requirement, select, render (GET, shareable)."""

from flask import current_app, redirect, render_template, request
from flask_babel import gettext as _

from webapp.api.selection import select_url, selection_limits
from webapp.domain.errors import InvalidParameterError
from webapp.errors import message_of
from webapp.public import bp
from webapp.public.map_page import language
from webapp.public.select_page import (
    SelectPage,
    build_select_page,
    is_form_submission,
    land_use_choices,
    query_from_form,
    select_form,
)
from webapp.public.texts import status_names
from webapp.selection.requirement import REQUIREMENT_PARAMETERS, parse_requirement
from webapp.selection.shortlist import select_parcels
from webapp.services import get_landuse_table, get_store


def render_select(page: SelectPage, status: int = 200, error: str | None = None):
    """The page with its form, results (when there is a selection) and an error message."""
    html = render_template("public/select.html", page=page, table=get_landuse_table(),
                           lang=language(), status_names=status_names(), error=error,
                           title=_("Site selection"))
    return html, status


@bp.get("/select")
def select():
    """Requirements → a ranked shortlist with reasons, groups of adjacent parcels, a map."""
    store, table = get_store(), get_landuse_table()
    layers = store.context.layers()
    args = query_from_form(request.args)
    form = select_form(args)
    page = SelectPage(form, layers, store.streets(), land_use_choices(table, form.land_uses))
    try:
        requirement = parse_requirement(args.getlist, table, {layer.name for layer in layers})
    except InvalidParameterError as error:
        return render_select(page, 400, message_of(error))
    if is_form_submission(request.args):
        return redirect(select_url(requirement), 303)
    if not any(name in args for name in REQUIREMENT_PARAMETERS):
        return render_select(page)  # the empty form, no selection yet
    selection = select_parcels(store, requirement, selection_limits(current_app.config), layers)
    return render_select(build_select_page(store, table, page, selection))
