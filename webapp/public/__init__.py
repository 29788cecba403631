"""Investor-facing pages: the parcel map with filters, a page per parcel, site selection."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from webapp.public import select_views, views  # noqa: E402,F401  (register routes on bp)
