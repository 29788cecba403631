"""Printable A4 PDF brochures: one parcel, a site-selection shortlist or a filtered set, each
parcel a page with its map drawn on the server, key figures, contact and QR code."""

from flask import Blueprint

bp = Blueprint("brochures", __name__)

from webapp.brochures import views  # noqa: E402,F401  (routes register on bp)
