"""Routes of the investor pages: parse the request, call one function, render."""

from dataclasses import replace

from flask import Response, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _

from webapp.auth.roles import is_staff
from webapp.domain.errors import NotFoundError
from webapp.domain.filter_form import FilterForm, parse_filter_form, parse_list_offset
from webapp.domain.filters import parse_parcel_filter
from webapp.domain.landuse import LandUseTable
from webapp.domain.parcel import Parcel
from webapp.domain.parcel_key import parcel_url_key
from webapp.domain.pipeline import ProblemFilter
from webapp.exporting.response import export_response
from webapp.exporting.writers import FORMATS
from webapp.public import bp
from webapp.public.filter_state import filter_state, sort_names
from webapp.public.map_data import map_data
from webapp.public.map_page import LIST_LIMIT, build_map_page, build_parcel_map_parts, language
from webapp.public.qr import qr_svg
from webapp.public.texts import status_names, supply_method_names
from webapp.public.tile_page import build_tile_map_page, uses_tile_map
from webapp.services import get_landuse_table, get_store
from webapp.store.lookup import find_by_key


def read_filter_form(table: LandUseTable) -> FilterForm:
    """The map page's filter form from the query string; staff also see drafts."""
    form = parse_filter_form(request.args.getlist, table)
    return replace(form, parcel_filter=replace(form.parcel_filter, include_drafts=is_staff()))


@bp.get("/")
def index():
    """The parcel map with filters and the result list; 400 (the page still shown, the bad
    fields set aside and explained beside them) when a filter field is invalid."""
    table = get_landuse_table()
    form = read_filter_form(table)
    store, config = get_store(), current_app.config
    page = (build_tile_map_page(store, table, form.parcel_filter)
            if uses_tile_map(store, form.parcel_filter, config["TILE_MAP_THRESHOLD"])
            else build_map_page(store, table, form.parcel_filter, config["MAX_EMBED_PARCELS"],
                                form.sort))
    state = filter_state(form, page.streets, -1 if page.tile_mode else page.page.number_matched)
    return render_template("public/index.html", map_page=page, parcel_filter=form.parcel_filter,
                           list_limit=LIST_LIMIT, table=table, lang=language(),
                           status_names=status_names(), filter_state=state,
                           sort_names=sort_names()), 400 if form.errors else 200


@bp.get("/map/data")
def map_json():
    """The map page's list, count, map data and filter messages as JSON (filters.js applies a
    filter in place with it); 400 with the same body when a filter field is invalid."""
    table = get_landuse_table()
    form = read_filter_form(table)
    offset = parse_list_offset(request.args.getlist("offset"))
    store, config = get_store(), current_app.config
    tile_mode = uses_tile_map(store, form.parcel_filter, config["TILE_MAP_THRESHOLD"])
    data = map_data(store, table, form, config["MAX_EMBED_PARCELS"], tile_mode, offset)
    return jsonify(data), 400 if form.errors else 200


def find_parcel(key: str) -> Parcel:
    """A published parcel by id (ASCII digits) or code, or NotFoundError."""
    parcel = find_by_key(get_store(), key, include_drafts=is_staff())
    if parcel is None:
        raise NotFoundError(_("No published parcel has the code or number “%(key)s”.", key=key))
    return parcel


def share_url(parcel: Parcel) -> str:
    """The absolute address of a parcel's page, for its QR code and copy-link button."""
    return url_for("public.parcel", key=parcel_url_key(parcel.code, parcel.id), _external=True)


def known_issues(parcel: Parcel) -> list[tuple[str, str]]:
    """The open problems staff marked public on this parcel: title and lead department only
    (never notes, dates or staff names)."""
    problems = get_store().pipeline.problems(ProblemFilter(parcel_code=parcel.code, status="open",
                                                           public_only=True))
    return [(problem.title, problem.department) for problem in problems]


@bp.get("/parcels/<path:key>")
def parcel(key: str):
    """One parcel's page: small map, every attribute, QR code and a copyable link."""
    found = find_parcel(key)
    table = get_landuse_table()
    return render_template("public/parcel.html", parcel=found, table=table, lang=language(),
                           rendered=build_parcel_map_parts(found, table, get_store()),
                           share_url=share_url(found), known_issues=known_issues(found),
                           status_names=status_names(), supply_names=supply_method_names())


@bp.get("/qr/parcels/<path:key>.svg")
def parcel_qr(key: str):
    """QR code of a parcel page's URL."""
    found = find_parcel(key)
    url = share_url(found)
    return Response(qr_svg(url), mimetype="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=3600"})


@bp.get("/export/parcels.<file_format>")
def export(file_format: str):
    """The filtered published parcels as a streamed GeoJSON, GeoPackage or CSV download."""
    if file_format not in FORMATS:
        raise NotFoundError(_("Exports are available as %(formats)s.",
                              formats=", ".join(FORMATS)))
    table = get_landuse_table()
    parcel_filter = parse_parcel_filter(request.args.getlist, table)
    return export_response(get_store(), parcel_filter, table, language(), file_format,
                           current_app.instance_path, current_app.config["EXPORT_MAX_CONCURRENT"])
