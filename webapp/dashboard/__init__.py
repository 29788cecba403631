"""The land-supply dashboard (public; staff also see the pipeline figures): /dashboard, its
charts and its CSV."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from webapp.dashboard import views  # noqa: E402,F401  (routes register on bp)
