"""A brochure as an HTTP response: each parcel's sheet built, the pages rendered from
templates/brochures/brochure.html (autoescaped) and printed to PDF, the time it took logged."""

import logging
import time
from pathlib import Path

from flask import Response, current_app, render_template

from webapp.brochures.pdf import render_pdf
from webapp.brochures.sheet import BrochureSheet, build_sheet, data_uri, image_media_type
from webapp.domain.local_time import district_today
from webapp.domain.parcel import Parcel
from webapp.public.map_page import language
from webapp.public.qr import qr_png
from webapp.public.texts import status_names, supply_method_names
from webapp.public.views import share_url
from webapp.services import get_landuse_table, get_store

logger = logging.getLogger(__name__)


def logo_uri() -> str | None:
    """BROCHURE_LOGO (a PNG, JPEG or WebP file) as a data: URI; None when unset or unusable
    (logged), so a bad logo never stops a brochure."""
    path = current_app.config.get("BROCHURE_LOGO") or ""
    if not path:
        return None
    try:
        content = Path(path).read_bytes()
    except OSError as error:
        logger.warning("BROCHURE_LOGO %s cannot be read: %s", path, error)
        return None
    media_type = image_media_type(content)
    if media_type is None:
        logger.warning("BROCHURE_LOGO %s is not a PNG, JPEG or WebP image", path)
        return None
    return data_uri(media_type, content)


def build_sheets(parcels: list[Parcel]) -> list[BrochureSheet]:
    """The brochure pages of the parcels, in order."""
    store, table = get_store(), get_landuse_table()
    sheets = []
    for parcel in parcels:
        url = share_url(parcel)
        sheets.append(build_sheet(store, table, parcel, url, qr_png(url)))
    return sheets


def brochure_html(sheets: list[BrochureSheet], title: str) -> str:
    """The brochure's HTML (one A4 page per sheet)."""
    return render_template("brochures/brochure.html", sheets=sheets, title=title,
                           table=get_landuse_table(), lang=language(), logo=logo_uri(),
                           printed_on=district_today().isoformat(),
                           status_names=status_names(), supply_names=supply_method_names())


def brochure_response(parcels: list[Parcel], title: str, filename: str) -> Response:
    """The PDF of the parcels' brochure, shown in the browser (inline) under filename."""
    started = time.perf_counter()
    pdf = render_pdf(brochure_html(build_sheets(parcels), title))
    logger.info("brochure of %d parcels made in %.2f s", len(parcels),
                time.perf_counter() - started)
    drafts = any(not parcel.published for parcel in parcels)  # staff only: never kept
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        "Cache-Control": "no-store" if drafts else "private, max-age=300"})
