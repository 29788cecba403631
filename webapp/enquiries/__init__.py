"""Investors' enquiries (public): the form on a parcel page and a shortlist, its checks, spam
protection, the reference number and the staff notification."""

from flask import Blueprint

bp = Blueprint("enquiries", __name__)

from webapp.enquiries import views  # noqa: E402,F401  (routes register on bp)
