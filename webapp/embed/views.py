"""The /embed route: the filtered map (embedded parcels or vector tiles) with no header and a
link back to the full map with the same filters."""

from dataclasses import replace

from flask import current_app, render_template, request

from webapp.domain.filter_form import parse_filter_form
from webapp.embed import bp
from webapp.public.filter_state import map_href, page_query
from webapp.public.map_page import build_map_page, language
from webapp.public.tile_page import build_tile_map_page, uses_tile_map
from webapp.services import get_landuse_table, get_store


@bp.get("/embed")
def index():
    """The map of the filtered published parcels (drafts never, even for staff); 400 with the
    unfiltered parts still drawn when a filter field is invalid."""
    table = get_landuse_table()
    form = parse_filter_form(request.args.getlist, table)
    parcel_filter = replace(form.parcel_filter, include_drafts=False)
    store, config = get_store(), current_app.config
    page = (build_tile_map_page(store, table, parcel_filter)
            if uses_tile_map(store, parcel_filter, config["TILE_MAP_THRESHOLD"])
            else build_map_page(store, table, parcel_filter, config["MAX_EMBED_PARCELS"],
                                form.sort))
    return render_template("embed/index.html", map_page=page, lang=language(),
                           full_map_href=map_href(page_query(parcel_filter, form.sort)),
                           has_errors=bool(form.errors)), 400 if form.errors else 200
